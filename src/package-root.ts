import {existsSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

/**
 * The restack-gen package's folder: the nearest folder above this module that has a package.json.
 * Found by walking up rather than a fixed `..`, because the same code runs from src/ (tests), from
 * lib/ (compiled; plugins import lib/index.js) and from lib/chunks/ (the bundle the CLI runs).
 */
export const PACKAGE_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)))

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir
    if (dirname(dir) === dir) throw new Error(`restack-gen cannot find its package.json above ${start}; reinstall it.`)
  }
}
