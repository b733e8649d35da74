import {expect} from 'chai'
import {join} from 'node:path'

import {REPO_ROOT, run, runCli} from '../helpers/cli.js'
import {tempDir} from '../helpers/fs.js'
import {LocalRegistry, startRegistry} from '../helpers/registry.js'

/** A plugin of this repository as a user meets it: its package, a command to try, and its doctor rule. */
interface PublishedPlugin {
  /** a command of the plugin, run in a fresh project, and what its output shows */
  command: string[]
  dir: string
  name: string
  output: RegExp
  rule: string
}

const PLUGINS: PublishedPlugin[] = [
  {command: ['g', 'note', 'hello', '--dry-run'], dir: 'test/fixtures/plugin', name: 'restack-fixture-plugin', output: /create {2}notes\/hello\.md/, rule: 'fixture'},
  {
    command: ['g', 'llm-config', '--backend', 'direct', '--provider', 'openai,anthropic', '--dry-run'],
    dir: 'plugins/plugin-llm',
    name: '@restack/plugin-llm',
    output: /create {2}config\/llm_router\.yaml/,
    rule: 'llm-router',
  },
  {
    command: ['g', 'tool-server', 'Calc', '--dry-run'],
    dir: 'plugins/plugin-tools',
    name: '@restack/plugin-tools',
    output: /create {2}src\/tools\/servers\/calc\.ts/,
    rule: 'tools-config',
  },
]

describe('plugins from a registry', function () {
  this.timeout(300_000)
  let dir: ReturnType<typeof tempDir>
  let registry: LocalRegistry
  let env: NodeJS.ProcessEnv
  let root: string

  before(async () => {
    dir = tempDir('restack-registry-')
    registry = await startRegistry(join(dir.path, 'registry'))
    env = {FIXTURE_PROBLEM: 'a problem', HOME: dir.path, RESTACK_DATA_DIR: join(dir.path, 'data'), RESTACK_NPM_REGISTRY: registry.url}
    expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path, env}).status).to.equal(0)
    root = join(dir.path, 'demo')
  })
  after(async () => {
    await registry?.stop()
    dir?.cleanup()
  })

  for (const [index, plugin] of PLUGINS.entries()) {
    // Both forms of every topic command: "plugins install" and "plugins:install", alternately.
    const [install, uninstall] = index % 2 === 0 ? [['plugins', 'install'], ['plugins:uninstall']] : [['plugins:install'], ['plugins', 'uninstall']]
    it(`publishes ${plugin.name}, installs it with restack ${install.join(' ')}, runs a command and its doctor rule, and uninstalls it with restack ${uninstall.join(' ')}`, async () => {
      await run('npm', ['publish', '--userconfig', registry.npmrc], {cwd: join(REPO_ROOT, plugin.dir)})
      const installed = runCli([...install, plugin.name], {cwd: root, env})
      expect(installed.status, installed.stderr).to.equal(0)
      expect(runCli(['plugins'], {cwd: root, env}).stdout).to.include(plugin.name)
      const ran = runCli(plugin.command, {cwd: root, env})
      expect(ran.status, ran.stderr).to.equal(0)
      expect(ran.stdout).to.match(plugin.output)
      expect(JSON.parse(runCli(['doctor', '--json'], {cwd: root, env}).stdout).rules).to.include(plugin.rule)

      expect(runCli([...uninstall, plugin.name], {cwd: root, env}).status).to.equal(0)
      expect(runCli(plugin.command, {cwd: root, env}).status).to.not.equal(0)
      expect(JSON.parse(runCli(['doctor', '--json'], {cwd: root, env}).stdout).rules).not.to.include(plugin.rule)
    })
  }
})
