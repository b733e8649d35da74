import {existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'

/** One file to write (`content`) or delete (`content` undefined), by absolute path. */
export interface FileWrite {
  content?: string
  path: string
}

interface Original {
  content?: Buffer
  mode?: number
}

/**
 * Writes every file or none. Each file is written to a temp name beside it, then all are renamed
 * into place; on any error every touched path gets its original bytes back and every directory
 * this call created is removed.
 */
export function writeAll(writes: FileWrite[]): void {
  const originals = new Map<string, Original>()
  const createdDirs: string[] = []
  const temps = new Map<string, string>()
  const done: string[] = []

  try {
    for (const {path} of writes) {
      originals.set(path, existsSync(path) ? {content: readFileSync(path), mode: statSync(path).mode} : {})
    }

    let counter = 0
    for (const {content, path} of writes) {
      if (content === undefined) continue
      createdDirs.push(...ensureDir(dirname(path)))
      const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${counter++}.restack-tmp`)
      try {
        writeFileSync(temp, content, {mode: originals.get(path)?.mode ?? 0o644})
      } catch (error) {
        // Report the file the user knows, not our temp name beside it.
        throw Object.assign(error as NodeJS.ErrnoException, {path})
      }

      temps.set(path, temp)
    }

    for (const {content, path} of writes) {
      done.push(path)
      if (content === undefined) {
        if (existsSync(path)) unlinkSync(path)
      } else {
        renameSync(temps.get(path)!, path)
        temps.delete(path)
      }
    }
  } catch (error) {
    rollback({createdDirs, done, originals, temps})
    throw error
  }
}

function rollback(state: {createdDirs: string[]; done: string[]; originals: Map<string, Original>; temps: Map<string, string>}): void {
  for (const temp of state.temps.values()) rmSync(temp, {force: true})
  for (const path of state.done.reverse()) {
    const original = state.originals.get(path)
    try {
      if (original?.content === undefined) rmSync(path, {force: true})
      else writeFileSync(path, original.content, {mode: original.mode})
    } catch {
      // Keep restoring the others; the first error is the one reported.
    }
  }

  // Deepest first, so each directory is empty of our files when it is removed.
  for (const dir of state.createdDirs.sort((a, b) => b.length - a.length)) {
    rmSync(dir, {force: true, recursive: true})
  }
}

/** mkdir -p that reports which directories it created, outermost first. */
function ensureDir(dir: string): string[] {
  const missing: string[] = []
  let current = dir
  while (!existsSync(current)) {
    missing.unshift(current)
    const parent = dirname(current)
    if (parent === current) break
    current = parent
  }

  if (missing.length > 0) mkdirSync(dir, {recursive: true})
  return missing
}
