import {existsSync, readFileSync} from 'node:fs'
import {join, posix} from 'node:path'

/**
 * What a generator intends for one path:
 * - `create`: a file rendered from a template; differing content on disk is a conflict unless ours.
 * - `update`: an edit of what the generator read (a registration); never a conflict.
 * - `delete`: remove the file.
 */
export type Intent = 'create' | 'delete' | 'update'

export interface Change {
  content?: string
  intent: Intent
  path: string
  /** the template the content came from, for --verbose */
  template?: string
}

/**
 * An in-memory change set over a directory. Generators read through it (seeing their own pending
 * writes) and write to it; only the committer touches the disk.
 */
export class Tree {
  private readonly pending = new Map<string, Change>()

  constructor(readonly root: string) {}

  changes(): Change[] {
    return [...this.pending.values()]
  }

  create(path: string, content: string, template?: string): void {
    this.pending.set(normalize(path), {content, intent: 'create', path: normalize(path), template})
  }

  delete(path: string): void {
    this.pending.set(normalize(path), {intent: 'delete', path: normalize(path)})
  }

  /** Drops a pending change: the path keeps what the disk has. */
  discard(path: string): void {
    this.pending.delete(normalize(path))
  }

  exists(path: string): boolean {
    return this.read(path) !== undefined
  }

  /** The content a path will have after the pending changes: pending first, then disk. */
  read(path: string): string | undefined {
    const change = this.pending.get(normalize(path))
    if (change) return change.content
    return readDisk(join(this.root, path))
  }

  update(path: string, content: string): void {
    const key = normalize(path)
    const previous = this.pending.get(key)
    // An update of a file this run creates is still a creation.
    const intent = previous?.intent === 'create' ? 'create' : 'update'
    this.pending.set(key, {content, intent, path: key, template: previous?.template})
  }
}

export function readDisk(absolute: string): string | undefined {
  if (!existsSync(absolute)) return undefined
  try {
    return readFileSync(absolute, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EISDIR') return undefined
    throw error
  }
}

function normalize(path: string): string {
  const normalized = posix.normalize(path.replaceAll('\\', '/'))
  if (normalized.startsWith('../') || normalized.startsWith('/')) {
    throw new Error(`path ${path} leaves the project`)
  }

  return normalized
}
