import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'

import {run} from './cli.js'

const cacheRoot = (): string =>
  join(process.env.RESTACK_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'restack-gen'), 'e2e-node-modules')

/** Hard links when the file system allows (fast, nothing writes into node_modules), else a copy. */
function copyTree(from: string, to: string): void {
  if (spawnSync('cp', ['-al', from, to]).status !== 0) cpSync(from, to, {recursive: true, verbatimSymlinks: true})
}

/**
 * `npm install` in a generated project, for real, against the configured registry. node_modules and
 * the lockfile are cached by the hash of the project's dependencies, so later runs start from a full
 * tree and npm only verifies it; the cache lives outside the repository.
 */
export async function installProject(root: string, options: {without?: string[]} = {}): Promise<void> {
  const manifest = join(root, 'package.json')
  const original = readFileSync(manifest, 'utf8')
  const {dependencies, devDependencies} = JSON.parse(original)
  // A dependency the registry cannot serve (@restackio/ai, tested through the alias onto the bundled
  // runtime) is left out of the install; package.json gets its own bytes back afterwards.
  for (const name of options.without ?? []) delete dependencies?.[name]
  if (options.without?.length) writeFileSync(manifest, JSON.stringify({...JSON.parse(original), dependencies}, null, 2) + '\n')
  try {
    await install(root, dependencies, devDependencies)
  } finally {
    if (options.without?.length) writeFileSync(manifest, original)
  }
}

async function install(root: string, dependencies: unknown, devDependencies: unknown): Promise<void> {
  const key = createHash('sha256').update(JSON.stringify({dependencies, devDependencies})).digest('hex').slice(0, 16)
  const cached = join(cacheRoot(), key)
  if (existsSync(join(cached, 'node_modules'))) {
    copyTree(join(cached, 'node_modules'), join(root, 'node_modules'))
    cpSync(join(cached, 'package-lock.json'), join(root, 'package-lock.json'))
  }

  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], {cwd: root})
  if (!existsSync(cached)) {
    const staging = `${cached}.${process.pid}.tmp`
    mkdirSync(staging, {recursive: true})
    copyTree(join(root, 'node_modules'), join(staging, 'node_modules'))
    cpSync(join(root, 'package-lock.json'), join(staging, 'package-lock.json'))
    try {
      renameSync(staging, cached)
    } catch {
      rmSync(staging, {force: true, recursive: true})
    }
  }
}
