import {quote, UserError} from '../errors.js'
import {sha256} from './hash.js'
import {Tree} from './tree.js'

export const LEDGER_PATH = '.restack/ledger.json'

/**
 * The "by" of a file that was the user's before "restack init" adopted the project: recorded with its
 * hash so that it is known, but never ours, so no command deletes or overwrites it as if generated.
 */
export const ADOPTED = 'adopted'

export interface LedgerFile {
  /** the generator that wrote it, e.g. "new" or "function:sendEmail"; ADOPTED for the user's own files */
  by: string
  sha256: string
}

export interface Ledger {
  files: Record<string, LedgerFile>
  version: 1
}

const empty = (): Ledger => ({files: {}, version: 1})

const corrupt = (what: string): UserError =>
  new UserError(
    `${LEDGER_PATH} is corrupt: ${what}. It records which files restack generated, so that destroy removes only those and a rerun overwrites only its own files; a damaged one is never silently ignored. Restore it from version control ("git checkout -- ${LEDGER_PATH}"), or delete it (restack then treats every file as yours: it asks before overwriting and destroy keeps files it cannot prove it wrote), then run the command again; nothing was written.`,
  )

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** The ledger of the tree's project: empty when there is none; a UserError naming the problem when it is damaged. */
export function readLedger(tree: Tree): Ledger {
  const text = tree.read(LEDGER_PATH)
  if (text === undefined) return empty()
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw corrupt(`it is not valid JSON (${(error as Error).message})`)
  }

  if (!isRecord(parsed)) throw corrupt('it must be a JSON object with "version": 1 and "files"')
  if (parsed.version !== 1) throw corrupt(`"version" is ${JSON.stringify(parsed.version) ?? 'missing'}, and this restack reads version 1`)
  if (!isRecord(parsed.files)) throw corrupt('"files" must map each generated file to {"by", "sha256"}')
  for (const [path, entry] of Object.entries(parsed.files)) {
    if (!isRecord(entry) || typeof entry.sha256 !== 'string' || !/^[\da-f]{64}$/.test(entry.sha256) || typeof entry.by !== 'string') {
      throw corrupt(`the entry for ${quote(path)} must be {"by": "<generator>", "sha256": "<64 hex digits>"}`)
    }
  }

  return {...empty(), ...(parsed as unknown as Ledger), files: {...(parsed.files as Ledger['files'])}}
}

/**
 * The ledger as text: keys sorted so that an unchanged ledger is byte-identical, in code-unit order, which
 * is the same on every machine (localeCompare follows the user's locale, and its first call costs ~13 ms
 * of ICU set-up on every generator run).
 */
export function serializeLedger(ledger: Ledger): string {
  const files = Object.fromEntries(Object.entries(ledger.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  return JSON.stringify({version: ledger.version, files}, null, 2) + '\n'
}

/** A file restack generated and nobody changed since; the user's adopted files are never ours. */
export const isOurs = (ledger: Ledger, path: string, diskContent: string): boolean =>
  ledger.files[path] !== undefined && ledger.files[path].by !== ADOPTED && ledger.files[path].sha256 === sha256(diskContent)
