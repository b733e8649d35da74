import {closeSync, constants, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, unlinkSync, writeSync} from 'node:fs'
import {join} from 'node:path'

import {UserError} from '../errors.js'

/**
 * The commit journal, `.restack/txn/journal.json`. A commit first writes the journal (every planned
 * path with its old and new content hashes, the new content, and a backup of the old), synced and
 * renamed into place: that rename is the commit point. Only then are files moved into place. A
 * command that finds `.restack/txn` settles it first (see recover.ts):
 * - no journal: the commit never reached its commit point and the project is untouched;
 * - `prepared`: the commit is completed (rolled forward), as a database redoes a committed transaction;
 * - `rolling-back`: an error had started undoing it; the rollback is finished.
 */
export const TXN_DIR = '.restack/txn'
export const JOURNAL_FILE = 'journal.json'

export interface JournalEntry {
  /** sha256 of the content after the commit; null for a deletion */
  after: null | string
  /** sha256 of the content before; null when the file did not exist */
  before: null | string
  /** file mode for the written file */
  mode: number
  /** the new content, base64, for writes */
  next?: string
  /** the old content, base64, when the file existed: the backup a rollback restores */
  previous?: string
  /** the path as the project knows it, relative to the root (the ledger's key) */
  path: string
  /** the real file, relative to the root: differs from `path` behind a symlink that stays inside the project */
  target: string
  /** the unpredictable temp name beside the target that the new content is staged under, relative to the root */
  temp?: string
}

export interface Journal {
  /** directories the commit creates, outermost first, relative to the root */
  createdDirs: string[]
  entries: JournalEntry[]
  /** directories to remove when the commit's deletions leave them empty, deepest first, relative to the root */
  prune: string[]
  state: 'prepared' | 'rolling-back'
  version: 1
}

export const txnPath = (root: string, name = ''): string => join(root, TXN_DIR, name)

/** Creates a file that must not exist yet and is never reached through a symlink, and writes it. */
export function writeExclusive(path: string, content: Buffer | string, mode = 0o644, sync = false): void {
  const fd = openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW, mode)
  try {
    const buffer = typeof content === 'string' ? Buffer.from(content) : content
    for (let offset = 0; offset < buffer.length; ) offset += writeSync(fd, buffer, offset)
    if (sync) fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Makes a file's content, or a directory's entries, durable. */
export function syncPath(path: string): void {
  let fd: number | undefined
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW)
    fsyncSync(fd)
  } catch {
    // Gone already, or a platform that cannot fsync directories: nothing more to make durable.
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/** Writes the journal atomically (staged, synced, renamed, directory synced). */
export function writeJournal(root: string, journal: Journal): void {
  const staged = txnPath(root, `${JOURNAL_FILE}.${journal.state}`)
  rmSync(staged, {force: true})
  writeExclusive(staged, JSON.stringify(journal) + '\n', 0o600, true)
  renameSync(staged, txnPath(root, JOURNAL_FILE))
  syncPath(txnPath(root))
}

export function readJournal(root: string): Journal | undefined {
  const path = txnPath(root, JOURNAL_FILE)
  if (!existsSync(path)) return undefined
  try {
    const journal = JSON.parse(readFileSync(path, 'utf8')) as Journal
    if (journal.version !== 1 || !Array.isArray(journal.entries)) throw new Error('its version is unknown')
    return journal
  } catch (error) {
    throw new UserError(
      `The commit journal ${TXN_DIR}/${JOURNAL_FILE}, left by an interrupted restack command, cannot be read (${(error as Error).message}), so restack cannot tell whether to finish or undo that command. Compare the project with your last git commit (git status), put right what is half-changed, then delete ${TXN_DIR} and run the command again.`,
    )
  }
}

/** The last step of every commit and recovery: the journal goes first (the commit is then over), the folder after. */
export function removeTxn(root: string): void {
  const journal = txnPath(root, JOURNAL_FILE)
  if (existsSync(journal)) unlinkSync(journal)
  rmSync(txnPath(root), {force: true, recursive: true})
}
