import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, symlinkSync} from 'node:fs'
import {join} from 'node:path'

import {BIN, runCli} from '../helpers/cli.js'
import {useTempDir} from '../helpers/fs.js'

const BASH_COMPLETION = '/usr/share/bash-completion/bash_completion'

describe('shell completion in real bash', function () {
  this.timeout(120_000)
  const dir = useTempDir()

  /** The words bash offers after the given words (COMP_WORDS split as bash does, ':' included). */
  const complete = (words: string[], cwd: string, env: NodeJS.ProcessEnv): string[] => {
    const script = [
      `source ${BASH_COMPLETION}`,
      'eval "$(restack autocomplete:script bash)"',
      `COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')})`,
      `COMP_CWORD=${words.length - 1}`,
      `COMP_LINE='${words.join(' ').replaceAll(' : ', ':')}'`,
      'COMP_POINT=${#COMP_LINE}',
      '_restack_dynamic',
      'printf "%s\\n" "${COMPREPLY[@]}"',
    ].join('\n')
    const result = spawnSync('bash', ['--norc', '-c', script], {cwd, encoding: 'utf8', env})
    expect(result.status, result.stderr).to.equal(0)
    return result.stdout.split('\n').filter(Boolean).sort()
  }

  it('completes kinds after g, flags of generate:agent, and the existing agents after d agent', function () {
    // Debian's bash-completion package provides the helpers oclif's bash function calls; .ci/run installs it.
    if (!existsSync(BASH_COMPLETION)) this.skip()
    const bin = join(dir.path, 'bin')
    mkdirSync(bin)
    symlinkSync(BIN, join(bin, 'restack'))
    const env = {...process.env, HOME: dir.path, PATH: `${bin}:${process.env.PATH}`, XDG_CACHE_HOME: join(dir.path, 'cache')}
    expect(runCli(['autocomplete', 'bash', '--refresh-cache'], {cwd: dir.path, env}).status).to.equal(0)
    expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path, env}).status).to.equal(0)
    const root = join(dir.path, 'demo')
    expect(runCli(['g', 'agent', 'Support'], {cwd: root, env}).status).to.equal(0)
    expect(runCli(['g', 'pipeline', 'Blog', '--operators', 'greet'], {cwd: root, env}).status).to.equal(0)

    expect(complete(['restack', 'g', ''], root, env)).to.include.members(['agent', 'function', 'pipeline', 'prompt', 'workflow'])
    expect(complete(['restack', 'g', 'wo'], root, env)).to.deep.equal(['workflow'])
    const flags = complete(['restack', 'generate', ':', 'agent', '--'], root, env)
    expect(flags).to.include.members(['--events', '--dry-run', '--force', '--skip', '--diff', '--json'])
    expect(complete(['restack', 'd', 'agent', ''], join(root, 'src'), env)).to.deep.equal(['greeter', 'support'])
    expect(complete(['restack', 'destroy', ':', 'agent', 's'], root, env)).to.deep.equal(['support'])
    expect(complete(['restack', 'd', 'pipeline', ''], root, env)).to.deep.equal(['blogPipeline'])
    expect(complete(['restack', 'd', 'function', ''], dir.path, env), 'outside a project').to.deep.equal([])
  })
})
