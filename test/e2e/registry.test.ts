import {expect} from 'chai'
import {join} from 'node:path'

import {REPO_ROOT, run, runCli} from '../helpers/cli.js'
import {tempDir} from '../helpers/fs.js'
import {LocalRegistry, startRegistry} from '../helpers/registry.js'

describe('plugins from a registry', function () {
  this.timeout(300_000)
  let dir: ReturnType<typeof tempDir>
  let registry: LocalRegistry

  before(async () => {
    dir = tempDir('restack-registry-')
    registry = await startRegistry(join(dir.path, 'registry'))
  })
  after(async () => {
    await registry?.stop()
    dir?.cleanup()
  })

  it('publishes a plugin, installs it with restack plugins:install, runs its command and doctor rule, and uninstalls it', async () => {
    await run('npm', ['publish', '--userconfig', registry.npmrc], {cwd: join(REPO_ROOT, 'test/fixtures/plugin')})
    const env = {FIXTURE_PROBLEM: 'a problem', HOME: dir.path, RESTACK_DATA_DIR: join(dir.path, 'data'), RESTACK_NPM_REGISTRY: registry.url}
    expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path, env}).status).to.equal(0)
    const root = join(dir.path, 'demo')

    const installed = runCli(['plugins:install', 'restack-fixture-plugin'], {cwd: root, env})
    expect(installed.status, installed.stderr).to.equal(0)
    expect(runCli(['plugins'], {cwd: root, env}).stdout).to.match(/restack-fixture-plugin 1\.0\.0/)
    const generated = runCli(['g', 'note', 'hello', '--dry-run'], {cwd: root, env})
    expect(generated.status, generated.stderr).to.equal(0)
    expect(generated.stdout).to.match(/create {2}notes\/hello\.md/)
    const doctor = JSON.parse(runCli(['doctor', '--json'], {cwd: root, env}).stdout)
    expect(doctor.rules).to.include('fixture')

    expect(runCli(['plugins:uninstall', 'restack-fixture-plugin'], {cwd: root, env}).status).to.equal(0)
    const gone = runCli(['generate:note', 'hello'], {cwd: root, env})
    expect(gone.status).to.not.equal(0)
    expect(JSON.parse(runCli(['doctor', '--json'], {cwd: root, env}).stdout).rules).not.to.include('fixture')
  })
})
