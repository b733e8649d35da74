import {dependencyNotice} from '../dependency-notice.js'
import {commit, FileAction} from '../engine/commit.js'
import {toUserError} from '../engine/fs-errors.js'
import {withLock} from '../engine/lock.js'
import {checkPlannedPaths} from '../engine/preflight.js'
import {formatPlan} from '../engine/output.js'
import {loadProject} from '../engine/project.js'
import {Reporter} from '../engine/reporter.js'
import {Tree} from '../engine/tree.js'
import {apply, Mode} from './declarations.js'
import {quote, UserError} from '../errors.js'
import {ENTITY_DIRS, EntityKind} from '../engine/entities.js'
import {CONFIG_FILE} from '../engine/project.js'
import {pipelineNames} from '../pipeline/config.js'
import {EntityGenerator, Prepared, ResultKind} from './entity.js'
import {describeReferences, findReferences, unitRef} from './references.js'
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
  /** what the run leaves for the user to decide, e.g. predicates a pipeline no longer calls */
  notices?: string[]
  root: string
}

/**
 * Kinds whose files are a unit's whole definition: running the generator again with other output is
 * a conflict. (A prompt's test and plugin outputs are regenerated from their registries on purpose.)
 */
const RERUN_CHECKED = new Set<ResultKind>(['agent', 'function', 'pipeline', 'workflow'])

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
    let replaced = new Map<string, FileAction['action']>()
    let packageBefore: string | undefined
    let packageAfter: string | undefined
    const prepared = await Promise.resolve()
      .then(async () => {
        const declared = generator.prepare(project, tree, options, mode)
        packageBefore = tree.read('package.json')
        const pipelines = mode === 'destroy' ? pipelinesOf(tree) : []
        await apply(tree, declared.declarations, mode, declared.context)
        if (mode === 'destroy' && !write.force) assertUnused(tree, declared, pipelines)
        if (mode === 'generate' && RERUN_CHECKED.has(declared.kind)) {
          replaced = await resolveReplacements(tree, await replacements(tree, declared.derived), write, describeUnit(declared.kind, declared.names.camel))
        }

        packageAfter = tree.read('package.json')
        checkPlannedPaths(tree)
        return declared
      })
      .catch((error) => {
        throw toUserError(error, project.root, 'read')
      })
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
    const written = result.files.some((file) => file.path === 'package.json' && ['create', 'force', 'update'].includes(file.action))
    const notice = written ? dependencyNotice(packageBefore, packageAfter, result.dryRun) : undefined
    if (notice) reporter.notice(notice)
    const notices = prepared.notices ?? []
    for (const line of notices) reporter.notice(line)
    return {
      dryRun: result.dryRun,
      exportName: prepared.names.exportName,
      files: result.files,
      kind: prepared.kind,
      mode,
      name: prepared.names.camel,
      ...(notices.length > 0 ? {notices} : {}),
      root: project.root,
    }
  }

  return withLock(project.root, work).catch(async (error) => {
    // A dry run writes nothing, so a project the user may read but not write still gets its plan.
    if (write.dryRun && !entered && ['EACCES', 'EPERM', 'EROFS'].includes((error as NodeJS.ErrnoException).code ?? '')) return work()
    throw toUserError(error, project.root)
  })
}

/** The committer's plan with replaced unit files shown as what they are: conflicts, forced or skipped. */
function mergeReplaced(files: FileAction[], replaced: Map<string, FileAction['action']>): FileAction[] {
  const shown = files.map((file) => (replaced.has(file.path) ? {...file, action: replaced.get(file.path)!} : file))
  for (const [path, action] of replaced) if (action === 'skip' && !shown.some((file) => file.path === path)) shown.push({action, path})
  return shown
}

/**
 * Destroy refuses to remove a unit that a pipeline, or code in another agent, workflow or function,
 * still uses: it names each user. --force removes it anyway (doctor then reports what dangles).
 */
function pipelinesOf(tree: Tree): string[] {
  try {
    return pipelineNames(tree.read(CONFIG_FILE) ?? '')
  } catch {
    return [] // an unreadable restack.yaml has no pipelines to ask
  }
}

/** `pipelines`: the pipelines restack.yaml had before this command, whose units export their own names. */
function assertUnused(tree: Tree, prepared: Prepared, pipelines: string[]): void {
  const kinds = Object.entries(ENTITY_DIRS) as Array<[EntityKind, string]>
  const targets = prepared.declarations.flatMap((declaration) => {
    if (declaration.type !== 'barrel') return []
    const kind = kinds.find(([, dir]) => declaration.barrel === `${dir}/index.ts`)?.[0]
    return kind ? [unitRef(kind, declaration.module, pipelines)] : []
  })
  const removed = new Set(prepared.declarations.flatMap((declaration) => (declaration.type === 'pipeline' ? [declaration.name] : [])))
  const deleted = new Set(tree.changes().filter((change) => change.intent === 'delete').map((change) => change.path))
  const references = findReferences(tree, targets, {files: deleted, pipelines: removed})
  if (references.length === 0) return
  throw new UserError(
    `Destroying the ${prepared.kind} ${quote(prepared.names.camel)} would leave references to it behind: ${describeReferences(references)}. Nothing was written. Change or destroy ${references.length === 1 ? 'that user' : 'those users'} first, or pass --force to destroy it anyway ("restack doctor" then lists the dangling references).`,
  )
}
