import {expect} from 'chai'
import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {runCli} from '../helpers/cli.js'
import {BASH_COMPLETION, completeInBash as complete, completionEnv} from '../helpers/completion.js'
import {useTempDir} from '../helpers/fs.js'

describe('shell completion in real bash', function () {
  this.timeout(120_000)
  const dir = useTempDir()

  it('completes kinds after g, the flags of generate:agent in every form, commands with a space or a colon, and the existing agents after d agent', function () {
    // Debian's bash-completion package provides the helpers oclif's bash function calls; .ci/run installs it.
    if (!existsSync(BASH_COMPLETION)) this.skip()
    const env = completionEnv(dir.path)
    expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path, env}).status).to.equal(0)
    const root = join(dir.path, 'demo')
    expect(runCli(['g', 'agent', 'Support'], {cwd: root, env}).status).to.equal(0)
    expect(runCli(['g', 'pipeline', 'Blog', '--operators', 'greet'], {cwd: root, env}).status).to.equal(0)

    expect(complete(['restack', 'g', ''], root, env)).to.include.members(['agent', 'function', 'pipeline', 'prompt', 'workflow'])
    expect(complete(['restack', 'g', 'wo'], root, env)).to.deep.equal(['workflow'])
    const flags = complete(['restack', 'generate', ':', 'agent', '--'], root, env)
    expect(flags).to.include.members(['--events', '--dry-run', '--force', '--skip', '--diff', '--json'])
    expect(complete(['restack', 'g', 'agent', '--'], root, env)).to.deep.equal(flags)
    expect(complete(['restack', 'generate', 'agent', '--'], root, env)).to.deep.equal(flags)
    expect(complete(['restack', 'g', 'agent', 'Support', '--ev'], root, env)).to.deep.equal(['--events'])
    expect(complete(['restack', 'g', 'function', '--task'], root, env)).to.deep.equal(['--task-queue'])
    expect(complete(['restack', 'plugins', 'in'], root, env)).to.include('install')
    expect(complete(['restack', 'plugins', ':', 'in'], root, env)).to.include('install')
    expect(complete(['restack', 'plugins', 'install', '--'], root, env)).to.include.members(['--force', '--silent'])
    expect(complete(['restack', 'd', 'agent', ''], join(root, 'src'), env)).to.deep.equal(['greeter', 'support'])
    expect(complete(['restack', 'destroy', ':', 'agent', 's'], root, env)).to.deep.equal(['support'])
    expect(complete(['restack', 'd', 'pipeline', ''], root, env)).to.deep.equal(['blogPipeline'])
    expect(complete(['restack', 'd', 'function', ''], dir.path, env), 'outside a project').to.deep.equal([])
  })
})
