import {randomBytes} from 'node:crypto'
import {chmodSync, existsSync, linkSync, lstatSync, mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, Stats, unlinkSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'

import {quote, UserError} from '../errors.js'
import {sha256} from './hash.js'
import {Journal, JournalEntry, markRollingBack, removeTxn, syncPath, TXN_DIR, txnPath, writeExclusive, writeJournal} from './journal.js'
import {resolveInside} from './paths.js'

/** One file to write (`content`) or delete (`content` undefined), relative to the project root. */
export interface FileWrite {
  content?: string
  path: string
}

/**
 * Writes every file or none, and survives being killed at any point. Backups and the plan go into the
 * journal first (journal.ts); once the journal is durable, every target is checked again (still a file,
 * still what was planned, still reached the same way), then the files are written under unpredictable
 * temp names (exclusive, never through a symlink), renamed into place and synced, directories left
 * empty by deletions are removed, and the journal goes last. An error after the commit point rolls
 * everything back; a kill is settled by the next command (recover.ts).
 */
export function writeAll(root: string, writes: FileWrite[]): void {
  if (writes.length === 0) return
  // `restack new` commits into a directory that may not exist yet; a failure removes it again.
  const createdRoot = missingDirs('/', root).map((dir) => join('/', dir))
  const restackDir = join(root, '.restack')
  const createdRestack = !existsSync(restackDir)
  const undoSetUp = () => {
    tryTo(() => removeTxn(root))
    if (createdRestack) tryRmdir(restackDir)
    for (const dir of createdRoot.reverse()) tryRmdir(dir)
  }

  let journal: Journal
  try {
    mkdirSync(txnPath(root), {recursive: true})
    journal = planJournal(root, writes)
    writeJournal(root, journal)
  } catch (error) {
    // Before the commit point the project is untouched.
    undoSetUp()
    throw error
  }

  try {
    applyJournal(root, journal)
  } catch (error) {
    const marked = markRollingBack(root)
    const left = rollbackJournal(root, journal)
    if (left.length > 0 && marked) throw rollbackBlocked(left, error)
    undoSetUp()
    throw error
  }

  // The commit is complete once its files are in place; a journal we fail to remove is finished by the next command.
  tryTo(() => removeTxn(root))
  if (createdRestack) tryRmdir(restackDir)
}

/** The journal of a commit: exported for tests of recovery. Stages the backups as it goes. */
export function planJournal(root: string, writes: FileWrite[]): Journal {
  const createdDirs = new Set<string>()
  const prune = new Set<string>()
  const entries = writes.map(({content, path}, index): JournalEntry => {
    // A deletion removes the name itself (a link, not what it points to); a write goes through a link that stays inside.
    const target = resolveInside(root, path, content !== undefined)
    const absolute = join(root, target)
    const old = readExisting(absolute)
    const entry: JournalEntry = {after: null, before: old ? sha256(old.content) : null, mode: old?.mode ?? 0o644, path, target}
    if (old) {
      entry.backup = `${index}.old`
      try {
        linkSync(absolute, txnPath(root, entry.backup))
      } catch {
        // Another file system, or no hard links: keep the old content in the journal itself.
        delete entry.backup
        entry.previous = old.content.toString('base64')
      }
    }

    if (content === undefined) {
      for (let dir = dirname(target); dir !== '.'; dir = dirname(dir)) prune.add(dir)
    } else {
      entry.after = sha256(content)
      entry.next = Buffer.from(content).toString('base64')
      entry.temp = join(dirname(target), `.${basename(target)}.${randomBytes(8).toString('hex')}.restack-tmp`)
      for (const dir of missingDirs(root, dirname(target))) createdDirs.add(dir)
    }

    return entry
  })

  return {
    createdDirs: [...createdDirs].sort((a, b) => a.length - b.length),
    entries,
    prune: [...prune].sort((a, b) => b.length - a.length),
    state: 'prepared',
    version: 1,
  }
}

/** lstat, or undefined when nothing is there. */
function lstatOrNone(path: string): Stats | undefined {
  try {
    return lstatSync(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

function readExisting(path: string): undefined | {content: Buffer; mode: number} {
  const stat = lstatOrNone(path)
  if (!stat) return undefined
  if (stat.isSymbolicLink()) return {content: readFileSync(path), mode: 0o644}
  if (!stat.isFile()) throw Object.assign(new Error(`${path} is not a file`), {code: stat.isDirectory() ? 'EISDIR' : 'ENOTFILE', path})
  return {content: readFileSync(path), mode: stat.mode & 0o7777}
}

/** The directories below the root that `dir` needs and that do not exist yet, outermost first. */
function missingDirs(root: string, dir: string): string[] {
  const missing: string[] = []
  for (let current = dir; current !== '.' && current !== '/' && !existsSync(join(root, current)); current = dirname(current)) missing.unshift(current)
  return missing
}

/** The content hash at a path: null when nothing is there, 'directory' or 'special' when it is not a file. */
function currentState(path: string): null | string {
  const stat = lstatOrNone(path)
  if (!stat) return null
  if (stat.isDirectory()) return 'directory'
  if (!stat.isFile() && !stat.isSymbolicLink()) return 'special'
  try {
    return sha256(readFileSync(path))
  } catch (error) {
    // a link to nothing
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'special'
    throw error
  }
}

/** Puts `content` at `path` through a temp name beside it, so a reader never sees half a file. */
function replaceFile(tempPath: string, path: string, content: Buffer, mode: number): void {
  try {
    rmSync(tempPath, {force: true})
    writeExclusive(tempPath, content, mode)
    chmodSync(tempPath, mode)
    renameSync(tempPath, path)
  } catch (error) {
    rmSync(tempPath, {force: true})
    // Report the file the user knows, not our temp name beside it.
    throw Object.assign(error as NodeJS.ErrnoException, {path})
  }
}

const describe = (state: null | string): string => (state === 'directory' ? 'a directory' : state === 'special' ? 'not a regular file' : 'a file with other content')

/**
 * Before anything moves: every target must still be reached the way it was planned (no symlink swapped
 * in since), and hold what the plan expects: its old content, or already its new one.
 */
function preflight(root: string, journal: Journal, recovering: boolean): void {
  const problems: string[] = []
  for (const entry of journal.entries) {
    const now = resolveInside(root, entry.path, entry.after !== null)
    if (now !== entry.target) {
      problems.push(`${quote(entry.path)} now leads to ${quote(now)} instead of ${quote(entry.target)}`)
      continue
    }

    const state = currentState(join(root, entry.target))
    const expected = entry.after === null ? [entry.before, null] : [entry.before, entry.after]
    if (!expected.includes(state)) problems.push(`${quote(entry.target)} is ${describe(state)} now`)
  }

  for (const dir of journal.createdDirs) {
    if (resolveInside(root, dir) !== dir) problems.push(`${quote(dir)} now leads elsewhere`)
  }

  if (problems.length === 0) return
  const those = problems.length === 1 ? 'that path' : 'those paths'
  throw new UserError(
    recovering
      ? `A restack command was interrupted, and it cannot be finished from its journal because the project changed since: ${problems.join('; ')}. Move what stands at ${those} out of the way and run any restack command to finish it, or delete ${TXN_DIR} to leave the project as it is now.`
      : `The project changed while restack was writing it: ${problems.join('; ')}. Put ${those} back as ${problems.length === 1 ? 'it was' : 'they were'} (or move what is there out of the way) and run the command again; nothing was written.`,
  )
}

/**
 * Brings every entry to its new content. Idempotent, so the next command can finish a commit that
 * was killed halfway: an entry already at its new content is left alone.
 */
export function applyJournal(root: string, journal: Journal, recovering = false): void {
  const abs = (path: string) => join(root, path)
  preflight(root, journal, recovering)
  for (const dir of journal.createdDirs) mkdirSync(abs(dir), {recursive: true})
  const touchedDirs = new Set<string>()
  for (const entry of journal.entries) {
    const target = abs(entry.target)
    const current = currentState(target)
    if (entry.after === null) {
      if (current !== null) unlinkSync(target)
    } else if (current === entry.after) {
      if (entry.temp) rmSync(abs(entry.temp), {force: true})
    } else {
      replaceFile(abs(entry.temp!), target, Buffer.from(entry.next!, 'base64'), entry.mode)
    }

    touchedDirs.add(dirname(target))
  }

  for (const entry of journal.entries) if (entry.after !== null) syncPath(abs(entry.target))
  for (const dir of journal.prune) {
    if (resolveInside(root, dir) === dir && rmdirIfEmpty(abs(dir))) touchedDirs.add(dirname(abs(dir)))
  }

  for (const dir of touchedDirs) syncPath(dir)
}

/**
 * Brings every entry back to its old content and removes the directories the commit created.
 * Idempotent, and it never stops halfway: an entry it cannot restore is skipped and returned, and a
 * path someone else changed since (neither its old nor its new content) is left as they made it.
 */
export function rollbackJournal(root: string, journal: Journal): string[] {
  const abs = (path: string) => join(root, path)
  const left: string[] = []
  for (const entry of [...journal.entries].reverse()) {
    const target = abs(entry.target)
    tryTo(() => entry.temp && rmSync(abs(entry.temp), {force: true}))
    try {
      if (resolveInside(root, entry.path, entry.after !== null) !== entry.target) continue
      const current = currentState(target)
      if (current === entry.before || (current !== entry.after && !(entry.after === null && current === null))) continue
      if (entry.before === null) {
        unlinkSync(target)
        continue
      }

      mkdirSync(dirname(target), {recursive: true})
      if (entry.backup && existsSync(txnPath(root, entry.backup))) {
        // The backup is a hard link to the old file: renaming it back needs no disk space.
        renameSync(txnPath(root, entry.backup), target)
      } else if (entry.previous === undefined) {
        left.push(entry.target)
      } else {
        replaceFile(`${abs(entry.temp ?? `${entry.target}.restack-tmp`)}.old`, target, Buffer.from(entry.previous, 'base64'), entry.mode)
      }
    } catch {
      left.push(entry.target)
    }
  }

  for (const dir of [...journal.createdDirs].reverse()) tryRmdir(abs(dir))
  for (const dir of new Set(journal.entries.map((entry) => dirname(abs(entry.target))))) tryTo(() => syncPath(dir))
  return left
}

const rollbackBlocked = (left: string[], cause: unknown): UserError =>
  new UserError(
    `This command failed (${(cause as Error).message}), and restack could not put back ${left.map((path) => quote(path)).join(', ')} while undoing it. The undo is kept in ${TXN_DIR}: make ${left.length === 1 ? 'that path' : 'those paths'} writable (or move what stands there out of the way), then run any restack command to finish it.`,
  )

/** rmdir that only removes an empty directory and reports whether it did. */
function rmdirIfEmpty(dir: string): boolean {
  try {
    rmdirSync(dir)
    return true
  } catch (error) {
    if (['ENOENT', 'ENOTEMPTY', 'EEXIST'].includes((error as NodeJS.ErrnoException).code ?? '')) return false
    throw error
  }
}

/** For clean-ups: a directory we cannot remove is left empty; every file is back, which is what matters. */
function tryRmdir(dir: string): void {
  tryTo(() => rmdirIfEmpty(dir))
}

function tryTo(action: () => unknown): void {
  try {
    action()
  } catch {
    // best effort: see the callers
  }
}
