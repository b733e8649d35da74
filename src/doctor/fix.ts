import {commit, CommitResult} from '../engine/commit.js'
import {toUserError} from '../engine/fs-errors.js'
import {withLock} from '../engine/lock.js'
import {readDisk, Tree} from '../engine/tree.js'
import {join} from 'node:path'
import {Finding} from './rule.js'

export interface Repaired extends CommitResult {
  /** what each changed file held before the repairs, to put back if they break the project */
  before: Map<string, string>
}

async function locked<T>(root: string, dryRun: boolean, work: () => Promise<T>): Promise<T> {
  let entered = false
  const run = async (): Promise<T> => {
    entered = true
    return work()
  }

  return withLock(root, run).catch(async (error) => {
    // A dry run writes nothing, so a project the user may read but not write still gets its plan.
    if (dryRun && !entered && ['EACCES', 'EPERM', 'EROFS'].includes((error as NodeJS.ErrnoException).code ?? '')) return work()
    throw toUserError(error, root)
  })
}

/** Applies the repairs on one in-memory tree and commits them like any generator: atomic, dry-run capable. */
export async function applyRepairs(root: string, repairs: Finding[], dryRun: boolean): Promise<Repaired> {
  return locked(root, dryRun, async () => {
    const tree = new Tree(root)
    for (const finding of repairs) finding.repair!(tree)
    const before = new Map<string, string>()
    for (const change of tree.changes()) {
      const disk = readDisk(join(root, change.path))
      if (disk !== undefined) before.set(change.path, disk)
    }

    return {...(await commit(tree, {by: 'doctor', dryRun})), before}
  })
}

/** Puts back what the repairs changed (repairs only edit existing registration files). */
export async function revertRepairs(root: string, before: Map<string, string>): Promise<CommitResult> {
  return locked(root, false, async () => {
    const tree = new Tree(root)
    for (const [path, content] of before) tree.update(path, content)
    return commit(tree, {by: 'doctor'})
  })
}
