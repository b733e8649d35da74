import {lstatSync, realpathSync} from 'node:fs'
import {isAbsolute, join, relative, sep} from 'node:path'

import {quote, UserError} from '../errors.js'

const inside = (root: string, path: string): boolean => {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel))
}

/**
 * The real file a project path names, relative to the project's real root. A symlink on the way that
 * stays inside the project is followed; one that leads out of it (or nowhere) is refused, so a write
 * never lands outside the project. With `followLast` false the last name is kept as it is: deleting a
 * link removes the link, not the file it points to.
 */
export function resolveInside(root: string, path: string, followLast = true): string {
  const realRoot = realpathSync(root)
  let resolved = realRoot
  const parts = path.split('/').filter((part) => part !== '' && part !== '.')
  for (const [index, part] of parts.entries()) {
    const next = join(resolved, part)
    let isLink = false
    try {
      isLink = lstatSync(next).isSymbolicLink()
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      // Everything from here on is new: no link can be on the way.
      return relative(realRoot, join(next, ...parts.slice(index + 1)))
    }

    if (!isLink || (!followLast && index === parts.length - 1)) {
      resolved = next
      continue
    }

    const shown = parts.slice(0, index + 1).join('/')
    let real: string
    try {
      real = realpathSync(next)
    } catch {
      throw new UserError(
        `${quote(shown)} is a symbolic link to a path that does not exist, and restack never writes through a dangling link. Remove the link or point it at a folder inside the project, then run the command again; nothing was written.`,
      )
    }

    if (!inside(realRoot, real)) {
      throw new UserError(
        `${quote(shown)} is a symbolic link to ${quote(real)}, outside the project, and restack never writes through a link that leaves the project. Replace the link with a real ${index === parts.length - 1 ? 'file' : 'folder'}, or run the command in the project it points into; nothing was written.`,
      )
    }

    resolved = real
  }

  return relative(realRoot, resolved)
}
