import {commit, CommitResult} from '../engine/commit.js'
import {toUserError} from '../engine/fs-errors.js'
import {withLock} from '../engine/lock.js'
import {Tree} from '../engine/tree.js'
import {Finding} from './rule.js'

/** Applies the repairs on one in-memory tree and commits them like any generator: atomic, dry-run capable. */
export async function applyRepairs(root: string, repairs: Finding[], dryRun: boolean): Promise<CommitResult> {
  let entered = false
  const work = async (): Promise<CommitResult> => {
    entered = true
    const tree = new Tree(root)
    for (const finding of repairs) finding.repair!(tree)
    return commit(tree, {by: 'doctor', dryRun})
  }

  return withLock(root, work).catch(async (error) => {
    // A dry run writes nothing, so a project the user may read but not write still gets its plan.
    if (dryRun && !entered && ['EACCES', 'EPERM', 'EROFS'].includes((error as NodeJS.ErrnoException).code ?? '')) return work()
    throw toUserError(error, root)
  })
}
