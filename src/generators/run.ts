import {commit, FileAction} from '../engine/commit.js'
import {toUserError} from '../engine/fs-errors.js'
import {withLock} from '../engine/lock.js'
import {checkPlannedPaths} from '../engine/preflight.js'
import {formatPlan} from '../engine/output.js'
import {loadProject} from '../engine/project.js'
import {Reporter} from '../engine/reporter.js'
import {Tree} from '../engine/tree.js'
import {apply, Mode} from './declarations.js'
import {EntityGenerator, ResultKind} from './entity.js'

export interface WriteOptions {
  cwd: string
  diff?: boolean
  dryRun?: boolean
  force?: boolean
  /** asks about each conflicting file; given only on a TTY */
  resolveConflict?: Parameters<typeof commit>[1]['resolveConflict']
  skip?: boolean
}

/** The `--json` result of every generate and destroy command. */
export interface EntityResult {
  dryRun: boolean
  /** the exported identifier: agentSupport, onboardingWorkflow, sendEmail */
  exportName: string
  files: FileAction[]
  kind: ResultKind
  mode: Mode
  /** the entity's name: its file's base name */
  name: string
  root: string
}

/**
 * The one path every generator and destroy takes: find the project, take its lock, validate and
 * declare, apply the declarations to an in-memory tree, then commit (or print the dry-run plan).
 */
export async function runEntity<Options extends {name: string}>(
  generator: EntityGenerator<Options>,
  options: Options,
  mode: Mode,
  write: WriteOptions,
  reporter: Reporter,
): Promise<EntityResult> {
  const project = loadProject(write.cwd)
  let entered = false
  const work = async () => {
    entered = true
    const tree = new Tree(project.root)
    const prepared = await Promise.resolve()
      .then(async () => {
        const declared = generator.prepare(project, tree, options, mode)
        await apply(tree, declared.declarations, mode, declared.context)
        checkPlannedPaths(tree)
        return declared
      })
      .catch((error) => {
        throw toUserError(error, project.root, 'read')
      })
    const result = await commit(tree, {
      by: `${prepared.kind}:${prepared.names.camel}`,
      diff: write.diff,
      dryRun: write.dryRun,
      force: write.force,
      resolveConflict: write.resolveConflict,
      skip: write.skip,
    }).catch((error) => {
      throw toUserError(error, project.root)
    })
    for (const line of formatPlan(result, reporter.colorize, reporter.verbose)) reporter.log(line)
    return {
      dryRun: result.dryRun,
      exportName: prepared.names.exportName,
      files: result.files,
      kind: prepared.kind,
      mode,
      name: prepared.names.camel,
      root: project.root,
    }
  }

  return withLock(project.root, work).catch(async (error) => {
    // A dry run writes nothing, so a project the user may read but not write still gets its plan.
    if (write.dryRun && !entered && ['EACCES', 'EPERM', 'EROFS'].includes((error as NodeJS.ErrnoException).code ?? '')) return work()
    throw toUserError(error, project.root)
  })
}
