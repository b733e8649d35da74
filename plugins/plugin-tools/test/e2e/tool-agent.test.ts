import {expect} from 'chai'
import {mkdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {runCli} from '../../../../test/helpers/cli.js'
import {assertMatchesSchema} from '../../../../test/helpers/schema.js'
import {snapshot, useTempDir} from '../../../../test/helpers/fs.js'
import {linkPlugins} from '../../../../test/helpers/plugins.js'

const PLUGINS = [
  {name: '@restack/plugin-llm', root: fileURLToPath(new URL('../../../plugin-llm', import.meta.url))},
  {name: '@restack/plugin-tools', root: fileURLToPath(new URL('../..', import.meta.url))},
]

describe('destroy:tool-agent', () => {
  const dir = useTempDir('restack-tool-agent-')

  it('takes back exactly what generate:tool-agent wrote, and refuses an agent that does not exist', () => {
    const env = linkPlugins(join(dir.path, 'data'), PLUGINS)
    expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path, env}).status).to.equal(0)
    const root = join(dir.path, 'demo')
    const ok = (...args: string[]) => {
      const result = runCli(args, {cwd: root, env})
      expect(result.status, `${args.join(' ')}: ${result.stderr}`).to.equal(0)
      return result
    }

    ok('generate:llm-config')
    ok('generate:tool-server', 'Calc')
    const before = snapshot(root)
    ok('generate:tool-agent', 'Support', '--tools', 'calc')
    expect(snapshot(root)).to.have.property('src/agents/support.ts')
    const destroyed = ok('destroy:tool-agent', 'Support')
    expect(destroyed.stdout).to.match(/delete\s+src\/agents\/support\.ts/)
    expect(snapshot(root)).to.deep.equal(before)
    const missing = runCli(['destroy:tool-agent', 'Support'], {cwd: root, env})
    expect(missing.status).to.equal(1)
    expect(missing.stderr).to.match(/no agent "support" to destroy/)
    expect(snapshot(root)).to.deep.equal(before)
  })

  it('is what the core CLI writes for "restack g agent <Name> --llm --tools <server>": the same files, byte for byte', () => {
    const env = linkPlugins(join(dir.path, 'data'), PLUGINS)
    const project = (parent: string, last: string[]) => {
      mkdirSync(join(dir.path, parent))
      expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: join(dir.path, parent), env}).status).to.equal(0)
      const root = join(dir.path, parent, 'demo')
      let output = ''
      for (const args of [['g', 'llm-config'], ['g', 'tool-server', 'Research'], last]) {
        const result = runCli(args, {cwd: root, env})
        expect(result.status, `${args.join(' ')}: ${result.stderr}`).to.equal(0)
        output = result.stdout
      }

      return {files: snapshot(root), output, root}
    }

    const plugin = project('one', ['generate:tool-agent', 'Support', '--tools', 'research', '--max-turns', '5', '--json'])
    const core = project('two', ['g', 'agent', 'Support', '--llm', '--tools', 'research', '--max-turns', '5', '--json'])
    expect(core.files).to.have.property('src/agents/support.ts')
    expect(core.files).to.deep.equal(plugin.files)
    expect(readFileSync(join(core.root, 'src/agents/support.ts'), 'utf8')).to.include('maxTurns = 5')
    // one JSON result, the plugin command's
    const json = JSON.parse(core.output)
    assertMatchesSchema('entity-result', json)
    expect(json).to.deep.equal({...JSON.parse(plugin.output), root: core.root})
  })
})
