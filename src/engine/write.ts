import {randomBytes} from 'node:crypto'
import {chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, unlinkSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'

import {sha256} from './hash.js'
import {Journal, JournalEntry, removeTxn, syncPath, txnPath, writeExclusive, writeJournal} from './journal.js'
import {resolveInside} from './paths.js'

/** One file to write (`content`) or delete (`content` undefined), relative to the project root. */
export interface FileWrite {
  content?: string
  path: string
}

/**
 * Writes every file or none, and survives being killed at any point. The plan goes into the journal
 * first (journal.ts); once the journal is durable, the files are written under unpredictable temp
 * names (exclusive, never through a symlink), renamed into place, synced, directories left empty by
 * deletions are removed, and the journal goes last. An error after the commit point rolls everything
 * back from the journal's backups; a kill is settled by the next command (recover.ts).
 */
export function writeAll(root: string, writes: FileWrite[]): void {
  if (writes.length === 0) return
  // `restack new` commits into a directory that may not exist yet; a failure removes it again.
  const createdRoot = missingDirs('/', root).map((dir) => join('/', dir))
  const restackDir = join(root, '.restack')
  const createdRestack = !existsSync(restackDir)
  const cleanUp = () => {
    removeTxn(root)
    if (createdRestack) tryRmdir(restackDir)
  }

  mkdirSync(txnPath(root), {recursive: true})
  let journal: Journal
  try {
    journal = planJournal(root, writes)
    writeJournal(root, journal)
  } catch (error) {
    // Before the commit point the project is untouched.
    cleanUp()
    for (const dir of createdRoot.reverse()) tryRmdir(dir)
    throw error
  }

  try {
    applyJournal(root, journal)
  } catch (error) {
    writeJournal(root, {...journal, state: 'rolling-back'})
    rollbackJournal(root, journal)
    cleanUp()
    for (const dir of createdRoot.reverse()) tryRmdir(dir)
    throw error
  }

  cleanUp()
}

/** The journal of a commit: exported for tests of recovery. */
export function planJournal(root: string, writes: FileWrite[]): Journal {
  const createdDirs = new Set<string>()
  const prune = new Set<string>()
  const entries = writes.map(({content, path}): JournalEntry => {
    const target = resolveInside(root, path)
    const absolute = join(root, target)
    const old = readExisting(absolute)
    const entry: JournalEntry = {after: null, before: old ? sha256(old.content) : null, mode: old?.mode ?? 0o644, path, target}
    if (old) entry.previous = old.content.toString('base64')
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

function readExisting(path: string): undefined | {content: Buffer; mode: number} {
  let stat
  try {
    stat = lstatSync(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }

  if (!stat.isFile()) throw Object.assign(new Error(`${path} is not a file`), {code: stat.isDirectory() ? 'EISDIR' : 'ENOTFILE', path})
  return {content: readFileSync(path), mode: stat.mode & 0o7777}
}

/** The directories below the root that `dir` needs and that do not exist yet, outermost first. */
function missingDirs(root: string, dir: string): string[] {
  const missing: string[] = []
  for (let current = dir; current !== '.' && !existsSync(join(root, current)); current = dirname(current)) missing.unshift(current)
  return missing
}

const currentHash = (path: string): null | string => {
  try {
    return sha256(readFileSync(path))
  } catch (error) {
    if (['EISDIR', 'ENOENT'].includes((error as NodeJS.ErrnoException).code ?? '')) return null
    throw error
  }
}

/** Puts `content` at `path` through a fresh temp name beside it, so a reader never sees half a file. */
function replaceFile(tempPath: string, path: string, content: Buffer, mode: number): void {
  try {
    rmSync(tempPath, {force: true})
    writeExclusive(tempPath, content, mode)
    chmodSync(tempPath, mode)
    renameSync(tempPath, path)
  } catch (error) {
    // Report the file the user knows, not our temp name beside it.
    throw Object.assign(error as NodeJS.ErrnoException, {path})
  }
}

/**
 * Brings every entry to its new content. Idempotent, so the next command can finish a commit that
 * was killed halfway: an entry already at its new content is left alone.
 */
export function applyJournal(root: string, journal: Journal): void {
  const abs = (path: string) => join(root, path)
  for (const dir of journal.createdDirs) mkdirSync(abs(dir), {recursive: true})
  const touchedDirs = new Set<string>()
  for (const entry of journal.entries) {
    const target = abs(entry.target)
    const current = currentHash(target)
    if (entry.after === null) {
      if (current !== null && current === entry.before) unlinkSync(target)
    } else if (current !== entry.after) {
      replaceFile(abs(entry.temp!), target, Buffer.from(entry.next!, 'base64'), entry.mode)
    }

    touchedDirs.add(dirname(target))
  }

  for (const entry of journal.entries) if (entry.after !== null) syncPath(abs(entry.target))
  for (const dir of journal.prune) {
    if (rmdirQuiet(abs(dir))) touchedDirs.add(dirname(abs(dir)))
  }

  for (const dir of touchedDirs) syncPath(dir)
}

/** Brings every entry back to its old content, and removes the directories the commit created. Idempotent. */
export function rollbackJournal(root: string, journal: Journal): void {
  const abs = (path: string) => join(root, path)
  for (const entry of [...journal.entries].reverse()) {
    const target = abs(entry.target)
    if (entry.temp) rmSync(abs(entry.temp), {force: true})
    const current = currentHash(target)
    if (current === entry.before) continue
    if (entry.before === null) {
      if (current === entry.after) unlinkSync(target)
      continue
    }

    mkdirSync(dirname(target), {recursive: true})
    const temp = join(dirname(target), `.${basename(target)}.${randomBytes(8).toString('hex')}.restack-tmp`)
    replaceFile(temp, target, Buffer.from(entry.previous!, 'base64'), entry.mode)
    syncPath(target)
  }

  for (const dir of [...journal.createdDirs].reverse()) tryRmdir(abs(dir))

  for (const dir of new Set(journal.entries.map((entry) => dirname(abs(entry.target))))) syncPath(dir)
}

/** rmdir that only removes an empty directory and reports whether it did. */
function rmdirQuiet(dir: string): boolean {
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
  try {
    rmdirQuiet(dir)
  } catch {
    // see above
  }
}
