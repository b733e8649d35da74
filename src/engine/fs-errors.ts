import {quote, UserError} from '../errors.js'

const CODES: Record<string, string> = {
  EACCES: 'permission denied',
  ENOSPC: 'the disk is full',
  EPERM: 'the operation is not permitted',
  EROFS: 'the file system is read-only',
}

/** Turns a file-system error from a commit into one paragraph the user can act on. */
export function toUserError(error: unknown, root: string): unknown {
  const code = (error as NodeJS.ErrnoException).code
  if (code === undefined || !(code in CODES)) return error
  const path = (error as NodeJS.ErrnoException).path ?? root
  return new UserError(
    `Cannot write ${quote(path)}: ${CODES[code]}. Nothing was written. Make the directory writable (or choose another location) and run the command again.`,
  )
}
