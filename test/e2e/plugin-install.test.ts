import {expect} from 'chai'
import {join} from 'node:path'

import {errorText, REPO_ROOT, run, runCli} from '../helpers/cli.js'
import {useTempDir} from '../helpers/fs.js'

describe('a plugin from a packed tarball, as README says', function () {
  this.timeout(300_000)
  const dir = useTempDir()

  it('installs with "plugins install file:<tgz>" and "plugins:install file:<tgz>", runs, and uninstalls either way', async () => {
    const packed = (await run('npm', ['pack', '--pack-destination', dir.path, join(REPO_ROOT, 'test/fixtures/plugin')], {cwd: dir.path})).trim().split('\n').pop()!
    const tarball = `file:${join(dir.path, packed)}`
    const env = {HOME: dir.path, RESTACK_DATA_DIR: join(dir.path, 'data'), XDG_CACHE_HOME: join(dir.path, 'cache')}
    expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path, env}).status).to.equal(0)
    const root = join(dir.path, 'demo')
    for (const [install, uninstall] of [
      [['plugins', 'install'], ['plugins:uninstall']],
      [['plugins:install'], ['plugins', 'uninstall']],
    ]) {
      const installed = runCli([...install, tarball], {cwd: root, env})
      expect(installed.status, `${install.join(' ')}: ${installed.stderr}`).to.equal(0)
      expect(runCli(['plugins'], {cwd: root, env}).stdout).to.include('restack-fixture-plugin')
      const ran = runCli(['g', 'note', 'hello', '--dry-run'], {cwd: root, env})
      expect(ran.status, ran.stderr).to.equal(0)
      expect(ran.stdout).to.match(/create {2}notes\/hello\.md/)
      expect(errorText(ran.stderr), 'no warning for an installed plugin').to.equal('')
      expect(runCli([...uninstall, 'restack-fixture-plugin'], {cwd: root, env}).status).to.equal(0)
      expect(runCli(['g', 'note', 'hello', '--dry-run'], {cwd: root, env}).status).to.not.equal(0)
    }
  })

  it('links with "plugins link <dir>" as with "plugins:link", with no transpile warning', () => {
    const env = {HOME: dir.path, RESTACK_DATA_DIR: join(dir.path, 'link-data'), XDG_CACHE_HOME: join(dir.path, 'cache')}
    for (const [link, unlink] of [
      [['plugins', 'link'], ['plugins:unlink']],
      [['plugins:link'], ['plugins', 'unlink']],
    ]) {
      const linked = runCli([...link, join(REPO_ROOT, 'plugins/plugin-llm'), '--no-install'], {cwd: dir.path, env})
      expect(linked.status, `${link.join(' ')}: ${linked.stderr}`).to.equal(0)
      const help = runCli(['g', 'llm-config', '--help'], {cwd: dir.path, env})
      expect(help.status, help.stderr).to.equal(0)
      expect(help.stdout).to.include('--provider')
      expect(help.stderr).not.to.match(/transpile/)
      expect(runCli([...unlink, '@restack/plugin-llm'], {cwd: dir.path, env}).status).to.equal(0)
    }
  })
})
