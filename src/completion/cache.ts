import {mkdirSync, readdirSync, rmdirSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'

/** Where the shell completion finds argument values that only a command can know (a plugin's servers, tools). */
export const COMPLETION_CACHE = '.restack/cache/complete'

/**
 * Records the values Tab offers for a command's first argument, or, with `after`, for the argument
 * that follows the value `after` (e.g. the tools of one server). A cache: plain files, not ledger-tracked.
 */
export function writeCompletions(root: string, commandId: string, values: string[], after?: string): void {
  // `after` comes from config files (a server name in config/tools.yaml): never a path out of the cache.
  if (after !== undefined && (after === '' || /[/\\\0]|^\.\.?$/.test(after))) return
  const dir = join(root, COMPLETION_CACHE)
  const file = join(dir, after === undefined ? commandId : `${commandId}@${after}`)
  if (values.length === 0) {
    rmSync(file, {force: true})
    // No trace once nothing is cached: .restack/cache/complete, then .restack/cache, when empty.
    for (let each = dir; each !== join(root, '.restack'); each = dirname(each)) {
      try {
        if (readdirSync(each).length > 0) break
        rmdirSync(each)
      } catch {
        break
      }
    }

    return
  }

  mkdirSync(dir, {recursive: true})
  writeFileSync(file, values.join('\n') + '\n')
}
