import {existsSync} from 'node:fs'

import {quote, UserError} from '../errors.js'
import {foreignTxnOwner, readJournal, removeTxn, TXN_DIR, txnPath} from './journal.js'
import {applyJournal, rollbackJournal} from './write.js'

const listed = (paths: string[]): string => (paths.length <= 3 ? paths.join(', ') : `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more`)

/**
 * Settles a commit that a killed command left in `.restack/txn` (see journal.ts for the rules), and
 * returns the one line that tells the user what happened, or undefined when there was nothing to do.
 * The caller holds the project's lock.
 */
export function recover(root: string): string | undefined {
  if (!existsSync(txnPath(root))) return undefined
  const owner = foreignTxnOwner(root)
  if (owner !== undefined) {
    const txn = quote(txnPath(root))
    throw new UserError(
      `${txn} holds the journal of an interrupted restack command, and it belongs to another user (uid ${owner}): restack never replays another user's journal, which could write whatever they put in it into your files. If you trust it, make it yours (chown -R ${process.geteuid?.()} ${txn}) and run the command again; otherwise delete ${txn} to leave the project as it is now.`,
    )
  }

  const journal = readJournal(root)
  if (!journal) {
    removeTxn(root)
    return `restack: a previous command was interrupted before it changed any file; its staging folder ${TXN_DIR} was removed.`
  }

  const paths = journal.entries.map((entry) => entry.path)
  if (journal.state === 'prepared') {
    applyJournal(root, journal, true)
    removeTxn(root)
    return `restack: a previous command was interrupted while writing; it was completed from its journal (${paths.length} ${paths.length === 1 ? 'file' : 'files'}: ${listed(paths)}).`
  }

  const left = rollbackJournal(root, journal)
  if (left.length > 0) {
    throw new UserError(
      `A restack command failed and was interrupted while undoing its changes, and the undo still cannot put back ${left.map((path) => quote(path)).join(', ')}. Make ${left.length === 1 ? 'that path' : 'those paths'} writable (or move what stands there out of the way), then run any restack command to finish the undo, or delete ${TXN_DIR} to leave the project as it is now.`,
    )
  }

  removeTxn(root)
  return `restack: a previous command failed and was interrupted while undoing its changes; the undo was finished from its journal (${listed(paths)} restored).`
}
