import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join} from 'node:path'

/** `git init` unless the directory is already in a repository; false when git is missing or fails. */
export function gitInit(root: string): boolean {
  if (existsSync(join(root, '.git'))) return true
  const inside = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], {cwd: root, encoding: 'utf8'})
  if (inside.status === 0 && inside.stdout.trim() === 'true') return true
  const result = spawnSync('git', ['init', '--quiet'], {cwd: root})
  return result.status === 0
}
