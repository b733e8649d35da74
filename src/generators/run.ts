import {commit, FileAction} from '../engine/commit.js'
import {toUserError} from '../engine/fs-errors.js'
import {withLock} from '../engine/lock.js'
import {formatPlan} from '../engine/output.js'
import {loadProject} from '../engine/project.js'
import {Reporter} from '../engine/reporter.js'
import {Tree} from '../engine/tree.js'
import {apply, Mode} from './declarations.js'
import {EntityGenerator, ResultKind} from './entity.js'
import {describeUnit, replacements, resolveReplacements} from './rerun.js'

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
    await apply(tree, prepared.declarations, mode, prepared.context)
    const replaced = mode === 'generate' ? await resolveReplacements(tree, await replacements(tree, prepared.derived), write, describeUnit(prepared.kind, prepared.names.camel)) : new Map()
    const committed = await commit(tree, {
      by: `${prepared.kind}:${prepared.names.camel}`,
      diff: write.diff,
      dryRun: write.dryRun,
      force: write.force,
      resolveConflict: write.resolveConflict,
      skip: write.skip,
    }).catch((error) => {
      throw toUserError(error, project.root)
    })
    const result = {...committed, files: mergeReplaced(committed.files, replaced)}
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
  })
}

/** The committer's plan with replaced unit files shown as what they are: conflicts, forced or skipped. */
function mergeReplaced(files: FileAction[], replaced: Map<string, FileAction['action']>): FileAction[] {
  const shown = files.map((file) => (replaced.has(file.path) ? {...file, action: replaced.get(file.path)!} : file))
  for (const [path, action] of replaced) if (action === 'skip' && !shown.some((file) => file.path === path)) shown.push({action, path})
  return shown
}
