import {expect} from 'chai'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {runCli} from '../../../../test/helpers/cli.js'
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
})
