import {createHash} from 'node:crypto'
import {cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'

import {run} from './cli.js'

const cacheRoot = (): string =>
  join(process.env.RESTACK_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'restack-gen'), 'e2e-node-modules')

/**
 * `npm install` in a generated project, for real, against the configured registry. node_modules and
 * the lockfile are cached by the hash of package.json, so later runs start from a full tree and npm
 * only verifies it; the cache lives outside the repository.
 */
export async function installProject(root: string): Promise<void> {
  const key = createHash('sha256').update(readFileSync(join(root, 'package.json'))).digest('hex').slice(0, 16)
  const cached = join(cacheRoot(), key)
  if (existsSync(join(cached, 'node_modules'))) {
    cpSync(join(cached, 'node_modules'), join(root, 'node_modules'), {recursive: true, verbatimSymlinks: true})
    cpSync(join(cached, 'package-lock.json'), join(root, 'package-lock.json'))
  }

  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], {cwd: root})
  if (!existsSync(cached)) {
    const staging = `${cached}.${process.pid}.tmp`
    mkdirSync(staging, {recursive: true})
    cpSync(join(root, 'node_modules'), join(staging, 'node_modules'), {recursive: true, verbatimSymlinks: true})
    cpSync(join(root, 'package-lock.json'), join(staging, 'package-lock.json'))
    try {
      renameSync(staging, cached)
    } catch {
      rmSync(staging, {force: true, recursive: true})
    }
  }
}
