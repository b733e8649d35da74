import {randomBytes} from 'node:crypto'
import {existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmdirSync, unlinkSync, writeFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {setTimeout as delay} from 'node:timers/promises'

import {quote, UserError} from '../errors.js'
import {toUserError} from './fs-errors.js'
import {foreignTxnOwner, txnPath} from './journal.js'
import {CONFIG_FILE, findProjectRoot} from './project.js'
import {recover} from './recover.js'

/** A folder of claims: `choosing.<pid>-<nonce>` while a process picks its ticket, then `ticket.<n>.<pid>-<nonce>`. */
export const LOCK_PATH = '.restack/lock'

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

interface Claim {
  choosing: boolean
  id: string
  name: string
  pid: number
  ticket: number
}

const CLAIM = /^(?:choosing|ticket\.(\d+))\.((\d+)-[\da-f]+)$/

function readClaims(dir: string): Claim[] {
  const claims: Claim[] = []
  for (const name of readdirSync(dir)) {
    const match = CLAIM.exec(name)
    if (match) claims.push({choosing: match[1] === undefined, id: match[2], name, pid: Number(match[3]), ticket: Number(match[1] ?? 0)})
  }

  return claims
}

const unlinkQuiet = (path: string): void => {
  try {
    unlinkSync(path)
  } catch {
    // Another process removed it first, or it is not a file: either way it is not ours to worry about.
  }
}

const rmdirQuiet = (path: string): void => {
  try {
    rmdirSync(path)
  } catch {
    // not empty: another command is queued, or .restack holds the ledger
  }
}

/**
 * Lamport's bakery over files: each process claims a unique name, so removing the claim of a dead
 * process can never remove a live one (the take-over race a single shared lock file has), and
 * tickets order the waiters. The filesystem's exclusive create is all it needs; no OS lock.
 */
async function acquire(root: string, waitMs: number): Promise<() => void> {
  const restackDir = join(root, '.restack')
  const dir = join(root, LOCK_PATH)
  refuseOddLock(restackDir, dir)
  const createdRestack = !existsSync(restackDir)
  const id = `${process.pid}-${randomBytes(6).toString('hex')}`
  const deadline = Date.now() + waitMs
  const release = (ticketPath?: string) => {
    if (ticketPath) unlinkQuiet(ticketPath)
    rmdirQuiet(dir)
    if (createdRestack || !isProject(root)) rmdirQuiet(restackDir)
  }

  // Take a ticket one higher than every ticket in the folder, announcing that we are choosing meanwhile.
  let ticket = 0
  let ticketPath = ''
  for (;;) {
    const choosing = join(dir, `choosing.${id}`)
    try {
      mkdirSync(dir, {recursive: true})
      writeFileSync(choosing, '', {flag: 'wx'})
      ticket = 1 + Math.max(0, ...readClaims(dir).map((claim) => claim.ticket))
      ticketPath = join(dir, `ticket.${ticket}.${id}`)
      writeFileSync(ticketPath, `${process.pid}\n`, {flag: 'wx'})
      unlinkSync(choosing)
      break
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      unlinkQuiet(choosing)
      if (ticketPath) unlinkQuiet(ticketPath)
      // The folder was removed by a releasing holder between our mkdir and our claim: claim again.
      if (code === 'ENOENT') continue
      // A lock file from an older restack: a dead holder's is removed, a live one is waited for.
      if (code === 'ENOTDIR' || code === 'EEXIST') {
        refuseOddLock(restackDir, dir)
        if (!(await waitForLegacyLock(dir, deadline, waitMs, () => release()))) continue
      }

      // One paragraph for the user; the code stays on it, so a dry run can go on without the lock.
      throw Object.assign(toUserError(error, root) as Error, {code})
    }
  }

  for (;;) {
    const blocker = readClaims(dir).find((claim) => {
      if (claim.id === id) return false
      if (!isAlive(claim.pid)) {
        unlinkQuiet(join(dir, claim.name))
        return false
      }

      return claim.choosing || claim.ticket < ticket || (claim.ticket === ticket && claim.id < id)
    })
    if (!blocker) return () => release(ticketPath)
    if (Date.now() >= deadline) {
      release(ticketPath)
      throw held(blocker.pid, waitMs)
    }

    await delay(25)
  }
}

/** A symlink, or anything but a folder (or an older restack's lock file), where the lock lives. */
function refuseOddLock(restackDir: string, dir: string): void {
  for (const path of [restackDir, dir]) {
    let stat
    try {
      stat = lstatSync(path)
    } catch {
      continue
    }

    const name = path === dir ? LOCK_PATH : '.restack'
    if (stat.isSymbolicLink() || !(stat.isDirectory() || (path === dir && stat.isFile()))) {
      throw new UserError(
        `${quote(name)} is ${stat.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}, and restack keeps its lock there. Nothing was written. Remove it (restack makes a fresh one) and run the command again.`,
      )
    }
  }
}

const held = (pid: number | undefined, waitMs: number): UserError =>
  new UserError(
    `Another restack command${pid === undefined ? '' : ` (pid ${pid})`} is changing this project and still holds ${LOCK_PATH} after ${Math.round(waitMs / 1000)} s. Nothing was written. Run this command again when it has finished (RESTACK_LOCK_TIMEOUT=<seconds> waits longer); if no restack command is running, delete ${LOCK_PATH}.`,
  )

/** An older restack's lock was a plain file holding the pid. Returns false once it is gone (claim again). */
async function waitForLegacyLock(path: string, deadline: number, waitMs: number, release: () => void): Promise<boolean> {
  for (;;) {
    let pid: number
    try {
      if (!lstatSync(path).isFile()) return false
      pid = Number.parseInt(readFileSync(path, 'utf8'), 10)
    } catch {
      return false
    }

    // Safe to remove: once it is gone the name becomes a folder, which unlink can never remove.
    if (!Number.isInteger(pid) || !isAlive(pid)) {
      unlinkQuiet(path)
      return false
    }

    if (Date.now() >= deadline) {
      release()
      throw held(pid, waitMs)
    }

    await delay(25)
  }
}

/** 10 s, or RESTACK_LOCK_TIMEOUT seconds (for machines where many restack commands queue up, e.g. scripts). */
function defaultWaitMs(): number {
  const seconds = Number(process.env.RESTACK_LOCK_TIMEOUT)
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 10_000
}

/**
 * Runs `fn` holding the project's lock, so two commands in one project never interleave. A second
 * command waits up to `waitMs`, then fails cleanly. Claims of dead processes are removed, and a
 * commit a killed command left behind is settled before `fn` runs.
 */
export async function withLock<T>(root: string, fn: () => Promise<T>, waitMs = defaultWaitMs()): Promise<T> {
  const release = await acquire(root, waitMs)
  try {
    const notice = recover(root)
    if (notice) process.stderr.write(notice + '\n')
    return await fn()
  } finally {
    release()
  }
}

/**
 * For commands that only read: settles a commit a killed command left behind (taking the lock for it),
 * and removes claims of dead processes; a live command's lock is never waited for otherwise.
 */
export async function settle(root: string): Promise<void> {
  if (existsSync(txnPath(root))) {
    await withLock(root, async () => {})
    return
  }

  const dir = join(root, LOCK_PATH)
  if (!existsSync(dir)) return
  try {
    for (const claim of readClaims(dir)) if (!isAlive(claim.pid)) unlinkQuiet(join(dir, claim.name))
    rmdirQuiet(dir)
    if (!isProject(root)) rmdirQuiet(join(root, '.restack'))
  } catch {
    // a legacy lock file, or the folder went away: nothing to tidy
  }
}

/**
 * Where no restack.yaml is found at or above `from`, but a folder there holds restack's lock or
 * journal, a `restack init` (which adopts a folder by writing restack.yaml in the same commit) was
 * killed there: settles it as any command settles a killed commit, so the folder is the user's project
 * as it was, or the adopted one. Commands that look for a project call this first.
 */
export async function settleInterruptedInit(from: string): Promise<void> {
  if (findProjectRoot(from)) return
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(txnPath(dir)) || existsSync(join(dir, LOCK_PATH))) {
      // Only what restack's commit leaves, and only the user's own: another tool's .restack/txn (settling
      // removes the folder), or a journal another user could have planted (in /tmp, say), is left alone.
      if (!existsSync(txnPath(dir)) || (isRestackTxn(txnPath(dir)) && foreignTxnOwner(dir) === undefined)) await settle(dir)
      return
    }

    if (dirname(dir) === dir) return
  }
}

/**
 * An empty .restack in a folder that is no restack project yet is what a killed `restack init` leaves
 * once its lock and journal are settled: removed with the lock, as the command that made it would have.
 */
const isProject = (root: string): boolean => existsSync(join(root, CONFIG_FILE))

/** The names a commit puts in .restack/txn (journal.ts, write.ts): its journal, staged or marked, and its backups. */
const TXN_NAME = /^(?:journal\.json(?:\.(?:prepared|rolling-back))?|rolling-back|\d+\.old)$/

function isRestackTxn(path: string): boolean {
  try {
    return lstatSync(path).isDirectory() && readdirSync(path).every((name) => TXN_NAME.test(name))
  } catch {
    return false
  }
}
