import {closeSync, constants, existsSync, fsyncSync, lstatSync, openSync, readFileSync, renameSync, rmSync, unlinkSync, writeSync} from 'node:fs'
import {basename, dirname, join, posix} from 'node:path'

import {UserError} from '../errors.js'

/**
 * The commit journal, `.restack/txn/journal.json`. A commit first stages a backup of every file it
 * replaces or deletes in `.restack/txn/` (a hard link: no copy, no disk space), then writes the journal
 * (every planned path with its old and new content hashes and the new content), synced and renamed into
 * place: that rename is the commit point. Only then are files moved into place. A command that finds
 * `.restack/txn` settles it first (recover.ts):
 * - no journal: the commit never reached its commit point and the project is untouched;
 * - a journal: the commit is completed (rolled forward), as a database redoes a committed transaction;
 * - a journal and the `rolling-back` marker (an error had started undoing it): the rollback is finished.
 */
export const TXN_DIR = '.restack/txn'
export const JOURNAL_FILE = 'journal.json'
/** Created (empty, so it needs no disk space) when an error after the commit point starts a rollback. */
export const ROLLBACK_MARKER = 'rolling-back'

export interface JournalEntry {
  /** sha256 of the content after the commit; null for a deletion */
  after: null | string
  /** the backup of the old content, a file in TXN_DIR (a hard link to the old file where possible) */
  backup?: string
  /** sha256 of the content before; null when the file did not exist */
  before: null | string
  /** file mode for the written file */
  mode: number
  /** the new content, base64, for writes */
  next?: string
  /** the path as the project knows it, relative to the root (the ledger's key) */
  path: string
  /** the old content, base64, where no hard link could be made */
  previous?: string
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

/** Errors of an fsync that only say "this cannot be synced here", never "the data is not safe". */
const UNSYNCABLE = new Set(['EBADF', 'EINVAL', 'EISDIR', 'ENOENT', 'ENOTSUP', 'EPERM', 'EACCES', 'ELOOP'])

/** Makes a file's content, or a directory's entries, durable. An I/O error (EIO, ENOSPC) is thrown. */
export function syncPath(path: string): void {
  let fd: number | undefined
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW)
    fsyncSync(fd)
  } catch (error) {
    if (!UNSYNCABLE.has((error as NodeJS.ErrnoException).code ?? '')) throw error
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/** Writes the journal atomically (staged, synced, renamed, directory synced): the commit point. */
export function writeJournal(root: string, journal: Journal): void {
  const staged = txnPath(root, `${JOURNAL_FILE}.${journal.state}`)
  rmSync(staged, {force: true})
  writeExclusive(staged, JSON.stringify(journal) + '\n', 0o600, true)
  renameSync(staged, txnPath(root, JOURNAL_FILE))
  syncPath(txnPath(root))
}

/** Marks a committed journal as being rolled back: an empty file, so a full disk cannot stop it. */
export function markRollingBack(root: string): boolean {
  try {
    writeExclusive(txnPath(root, ROLLBACK_MARKER), '')
    syncPath(txnPath(root))
    return true
  } catch {
    return existsSync(txnPath(root, ROLLBACK_MARKER))
  }
}

const unreadable = (why: string): UserError =>
  new UserError(
    `The commit journal ${TXN_DIR}/${JOURNAL_FILE}, left by an interrupted restack command, cannot be used (${why}), so restack cannot tell whether to finish or undo that command. Compare the project with your last git commit (git status), put right what is half-changed, then delete ${TXN_DIR} and run the command again.`,
  )

/** A path a journal may name: relative, normalized, inside the project, never through `..`. */
const isProjectPath = (path: unknown): path is string =>
  typeof path === 'string' && path !== '' && !path.includes('\0') && !path.includes('\\') && posix.normalize(path) === path && !path.startsWith('/') && path !== '..' && !path.startsWith('../') && path !== '.'

const isHash = (value: unknown): boolean => value === null || (typeof value === 'string' && /^[\da-f]{64}$/.test(value))

/** Checks every field a recovery acts on, so that a tampered or foreign journal can never lead a write out of the project. */
function validate(journal: unknown): Journal {
  const shape = journal as Journal
  if (typeof journal !== 'object' || journal === null || shape.version !== 1) throw unreadable('its version is unknown')
  if (!Array.isArray(shape.entries) || !Array.isArray(shape.createdDirs) || !Array.isArray(shape.prune)) throw unreadable('it lacks its entries or directories')
  for (const dir of [...shape.createdDirs, ...shape.prune]) if (!isProjectPath(dir)) throw unreadable(`it names the directory ${JSON.stringify(dir)}, which is not inside the project`)
  for (const entry of shape.entries) {
    if (typeof entry !== 'object' || entry === null || !isProjectPath(entry.path) || !isProjectPath(entry.target)) throw unreadable('an entry names a path outside the project')
    if (!isHash(entry.before) || !isHash(entry.after) || !Number.isInteger(entry.mode)) throw unreadable(`the entry for ${JSON.stringify(entry.path)} is damaged`)
    if (entry.after !== null && (typeof entry.next !== 'string' || typeof entry.temp !== 'string')) throw unreadable(`the entry for ${JSON.stringify(entry.path)} lacks its new content`)
    if (entry.temp !== undefined && !(dirname(entry.temp) === dirname(entry.target) && /^\.[^/]+\.[\da-f]{16}\.restack-tmp$/.test(basename(entry.temp)))) {
      throw unreadable(`the entry for ${JSON.stringify(entry.path)} names a temp file that is not restack's`)
    }

    if (entry.backup !== undefined && !/^\d+\.old$/.test(entry.backup)) throw unreadable(`the entry for ${JSON.stringify(entry.path)} names a backup that is not restack's`)
  }

  return shape
}

export function readJournal(root: string): Journal | undefined {
  const path = txnPath(root, JOURNAL_FILE)
  if (!existsSync(path)) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw unreadable((error as Error).message)
  }

  const journal = validate(parsed)
  return existsSync(txnPath(root, ROLLBACK_MARKER)) ? {...journal, state: 'rolling-back'} : journal
}

/**
 * The uid of another user who owns the journal folder, the journal or the rollback marker, else undefined.
 * The next command replays a journal with the rights of whoever runs it, so a journal that another user
 * could have written (in a shared folder such as /tmp, say) is never replayed, as git refuses a
 * repository another user owns. Undefined where there are no uids (Windows).
 */
export function foreignTxnOwner(root: string): number | undefined {
  const uid = process.geteuid?.()
  if (uid === undefined) return undefined
  for (const path of [txnPath(root), txnPath(root, JOURNAL_FILE), txnPath(root, ROLLBACK_MARKER)]) {
    let owner: number
    try {
      owner = lstatSync(path).uid
    } catch {
      continue
    }

    if (owner !== uid) return owner
  }

  return undefined
}

/** The last step of every commit and recovery: the journal goes first (the commit is then over), the folder after. */
export function removeTxn(root: string): void {
  const journal = txnPath(root, JOURNAL_FILE)
  if (existsSync(journal)) unlinkSync(journal)
  rmSync(txnPath(root), {force: true, recursive: true})
}
