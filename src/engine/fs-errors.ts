import {quote, UserError} from '../errors.js'

/** What each file-system error means, and what the user can do about it. */
const CODES: Record<string, {fix: string; what: string}> = {
  EACCES: {fix: 'Give your user access to it (e.g. "chmod u+rw" on the file and its directory, or run the command as the project\'s owner)', what: 'permission denied'},
  EISDIR: {fix: 'Move or remove the directory, or choose another name', what: 'it is a directory where restack needs a file'},
  ENAMETOOLONG: {fix: 'Choose a shorter name', what: 'the name is longer than the file system allows'},
  ENOSPC: {fix: 'Free some space', what: 'the disk is full'},
  ENOTDIR: {fix: 'Move or rename the file that stands where a directory belongs', what: 'a part of the path is a file where restack needs a directory'},
  EPERM: {fix: 'Give your user access to it, or run the command as the project\'s owner', what: 'the operation is not permitted'},
  EROFS: {fix: 'Run it where the file system is writable (a --dry-run needs no write access)', what: 'the file system is read-only'},
}

/** Turns a file-system error into one paragraph the user can act on; any other error comes back as it is. */
export function toUserError(error: unknown, root: string, verb: 'read' | 'write' = 'write'): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === undefined || !(code in CODES)) return error
  const path = (error as NodeJS.ErrnoException).path ?? root
  const {fix, what} = CODES[code]
  return new UserError(`Cannot ${verb} ${quote(path)}: ${what}. Nothing was written. ${fix}, then run the command again.`)
}
