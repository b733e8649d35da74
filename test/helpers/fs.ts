import {createHash} from 'node:crypto'
import {mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'

/** A fresh directory under the OS temp dir, removed by the returned cleanup. */
export function tempDir(prefix = 'restack-test-'): {cleanup: () => void; path: string} {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return {cleanup: () => rmSync(path, {force: true, recursive: true}), path}
}

/** Every file and directory below `root` with its content hash: equal snapshots mean byte-identical trees. */
export function snapshot(root: string): Record<string, string> {
  const result: Record<string, string> = {}
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      const path = join(dir, entry.name)
      const key = relative(root, path)
      if (entry.isSymbolicLink()) {
        result[key] = `link ${readlinkSync(path)}`
      } else if (entry.isDirectory()) {
        if (entry.name === 'node_modules') continue
        result[key + '/'] = 'dir'
        walk(path)
      } else {
        result[key] = `${createHash('sha256').update(readFileSync(path)).digest('hex')} ${(statSync(path).mode & 0o777).toString(8)}`
      }
    }
  }

  walk(root)
  return result
}

/**
 * A fresh temp dir for each test of the enclosing describe, removed after it: `dir.path` inside tests.
 * Hooks run in the order they are registered, so later beforeEach hooks can use it.
 */
export function useTempDir(prefix?: string): {readonly path: string} {
  let current: ReturnType<typeof tempDir> | undefined
  beforeEach(() => {
    current = tempDir(prefix)
  })
  afterEach(() => current?.cleanup())
  return {
    get path() {
      return current!.path
    },
  }
}
