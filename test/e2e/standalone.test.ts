import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, symlinkSync} from 'node:fs'
import {join} from 'node:path'

import {REPO_ROOT, run} from '../helpers/cli.js'
import {useTempDir} from '../helpers/fs.js'

describe('the standalone tarball', function () {
  this.timeout(600_000)
  const dir = useTempDir()

  it('installs with install.sh and runs with no node on PATH', async () => {
    const tarball = (await run(process.execPath, ['scripts/pack-standalone.mjs'], {cwd: REPO_ROOT})).trim().split('\n').pop()!
    expect(existsSync(tarball), tarball).to.equal(true)
    const prefix = join(dir.path, 'prefix')
    await run('bash', [join(REPO_ROOT, 'scripts/install.sh'), tarball, prefix], {cwd: dir.path})

    // /usr/bin holds node here, so PATH is a folder of links to only the tools the launcher uses.
    const tools = join(dir.path, 'tools')
    mkdirSync(tools)
    for (const tool of ['bash', 'sh', 'dirname', 'readlink', 'basename', 'cat', 'uname']) {
      const found = spawnSync('bash', ['-c', `command -v ${tool}`], {encoding: 'utf8'}).stdout.trim()
      if (found) symlinkSync(found, join(tools, tool))
    }

    const bare = {HOME: dir.path, PATH: tools}
    const shell = (command: string, cwd = dir.path) => spawnSync(join(tools, 'bash'), ['-c', command], {cwd, encoding: 'utf8', env: bare})
    expect(shell('command -v node').status, 'node must not be on PATH').to.not.equal(0)
    const version = shell(`${prefix}/bin/restack --version`)
    expect(version.status, version.stderr).to.equal(0)
    expect(version.stdout).to.match(/^restack-gen\/\d+\.\d+\.\d+ linux-x64 node-v/)
    const created = shell(`${prefix}/bin/restack new demo --skip-install`)
    expect(created.status, created.stderr).to.equal(0)
    expect(existsSync(join(dir.path, 'demo/src/services.ts'))).to.equal(true)
    expect(existsSync(join(dir.path, 'demo/src/restack/agent.ts'))).to.equal(true)
  })
})
