import {commit, CommitResult} from '../engine/commit.js'
import {withLock} from '../engine/lock.js'
import {Tree} from '../engine/tree.js'
import {Finding} from './rule.js'

/** Applies the repairs on one in-memory tree and commits them like any generator: atomic, dry-run capable. */
export async function applyRepairs(root: string, repairs: Finding[], dryRun: boolean): Promise<CommitResult> {
  return withLock(root, async () => {
    const tree = new Tree(root)
    for (const finding of repairs) finding.repair!(tree)
    return commit(tree, {by: 'doctor', dryRun})
  })
}
