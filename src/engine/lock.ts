import {closeSync, existsSync, mkdirSync, openSync, readFileSync, rmdirSync, rmSync, writeSync} from 'node:fs'
import {join} from 'node:path'
import {setTimeout as delay} from 'node:timers/promises'

import {UserError} from '../errors.js'

export const LOCK_PATH = '.restack/lock'

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Runs `fn` holding `.restack/lock`, so two commands in one project never interleave. A second
 * command waits up to `waitMs`, then fails cleanly. A lock left by a dead process is taken over.
 */
export async function withLock<T>(root: string, fn: () => Promise<T>, waitMs = 10_000): Promise<T> {
  const dir = join(root, '.restack')
  let createdDir = false
  const path = join(root, LOCK_PATH)
  const deadline = Date.now() + waitMs
  let fd: number | undefined
  while (fd === undefined) {
    try {
      if (!existsSync(dir)) {
        mkdirSync(dir, {recursive: true})
        createdDir = true
      }

      fd = openSync(path, 'wx')
    } catch (error) {
      // The holder may remove .restack as it releases; then simply try again.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = Number.parseInt(readFileSafe(path), 10)
      if (Number.isInteger(holder) && !isAlive(holder)) {
        rmSync(path, {force: true})
        continue
      }

      if (Date.now() >= deadline) {
        if (createdDir) rmdirSafe(dir)
        throw new UserError(
          `Another restack command${Number.isInteger(holder) ? ` (pid ${holder})` : ''} is changing this project and still holds ${LOCK_PATH} after ${Math.round(waitMs / 1000)} s. Nothing was written. Run this command again when it has finished; if no restack command is running, delete ${LOCK_PATH}.`,
        )
      }

      await delay(50)
    }
  }

  writeSync(fd, `${process.pid}\n`)
  closeSync(fd)
  try {
    return await fn()
  } finally {
    rmSync(path, {force: true})
    if (createdDir) rmdirSafe(dir)
  }
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

function rmdirSafe(dir: string): void {
  try {
    rmdirSync(dir)
  } catch {
    // not empty: the command wrote its ledger there, which is what we want to keep
  }
}
