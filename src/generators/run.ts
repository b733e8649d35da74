import {dependencyNotice} from '../dependency-notice.js'
import {commit, FileAction} from '../engine/commit.js'
import {toUserError} from '../engine/fs-errors.js'
import {withLock} from '../engine/lock.js'
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
  return withLock(project.root, async () => {
    const tree = new Tree(project.root)
    const prepared = generator.prepare(project, tree, options, mode)
    const packageBefore = tree.read('package.json')
    await apply(tree, prepared.declarations, mode, prepared.context)
    const packageAfter = tree.read('package.json')
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
    const written = result.files.some((file) => file.path === 'package.json' && ['create', 'force', 'update'].includes(file.action))
    const notice = written ? dependencyNotice(packageBefore, packageAfter, result.dryRun) : undefined
    if (notice) reporter.notice(notice)
    return {
      dryRun: result.dryRun,
      exportName: prepared.names.exportName,
      files: result.files,
      kind: prepared.kind,
      mode,
      name: prepared.names.camel,
      root: project.root,
    }
  })
}
