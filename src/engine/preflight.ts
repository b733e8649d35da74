import {lstatSync, Stats} from 'node:fs'
import {join} from 'node:path'

import {quote, UserError} from '../errors.js'
import {Tree} from './tree.js'

/**
 * The longest file name restack writes, in bytes: the file system's 255 less room for the
 * temporary name a file is written under before it is renamed into place.
 */
export const MAX_NAME_BYTES = 200

const stat = (path: string): Stats | undefined => {
  try {
    return lstatSync(path)
  } catch {
    return undefined
  }
}

/**
 * Checks, before anything is written (and in a dry run alike), that every path the tree plans can
 * be written: no directory where a file goes, no file where a directory goes, no name too long for
 * the file system. Throws a one-paragraph UserError naming the path and the fix.
 */
export function checkPlannedPaths(tree: Tree): void {
  for (const change of tree.changes()) {
    const parts = change.path.split('/')
    const long = parts.find((part) => Buffer.byteLength(part) > MAX_NAME_BYTES)
    if (long !== undefined) {
      throw new UserError(
        `Cannot write ${quote(change.path)}: the file name ${quote(long.length > 60 ? `${long.slice(0, 40)}...` : long)} is ${Buffer.byteLength(long)} bytes long, and restack writes names of at most ${MAX_NAME_BYTES} bytes (file systems allow 255). Nothing was written. Choose a shorter name.`,
      )
    }

    for (let depth = 1; depth < parts.length; depth++) {
      const parent = parts.slice(0, depth).join('/')
      const found = stat(join(tree.root, parent))
      if (found === undefined) break
      if (!found.isDirectory() && !found.isSymbolicLink()) {
        throw new UserError(
          `Cannot write ${quote(change.path)}: ${quote(parent)} is a file, and restack needs a directory there. Nothing was written. Move or rename ${quote(parent)}, then run the command again.`,
        )
      }
    }

    if (change.intent !== 'delete' && stat(join(tree.root, change.path))?.isDirectory()) {
      throw new UserError(
        `Cannot write ${quote(change.path)}: it is a directory, and restack needs to write a file there. Nothing was written. Move or remove the directory (or choose another name), then run the command again.`,
      )
    }
  }
}
