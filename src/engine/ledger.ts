import {sha256} from './hash.js'
import {Tree} from './tree.js'

export const LEDGER_PATH = '.restack/ledger.json'

export interface LedgerFile {
  /** the generator that wrote it, e.g. "new" or "function:sendEmail" */
  by: string
  sha256: string
}

export interface Ledger {
  files: Record<string, LedgerFile>
  version: 1
}

const empty = (): Ledger => ({files: {}, version: 1})

export function readLedger(tree: Tree): Ledger {
  const text = tree.read(LEDGER_PATH)
  if (text === undefined) return empty()
  try {
    const parsed = JSON.parse(text) as Ledger
    return {...empty(), ...parsed, files: {...parsed.files}}
  } catch {
    // A corrupt ledger only costs us the "ours" shortcut; conflicts are then asked about instead.
    return empty()
  }
}

/** The ledger as text: keys sorted so that an unchanged ledger is byte-identical. */
export function serializeLedger(ledger: Ledger): string {
  const files = Object.fromEntries(Object.entries(ledger.files).sort(([a], [b]) => a.localeCompare(b)))
  return JSON.stringify({version: ledger.version, files}, null, 2) + '\n'
}

export const isOurs = (ledger: Ledger, path: string, diskContent: string): boolean =>
  ledger.files[path]?.sha256 === sha256(diskContent)
