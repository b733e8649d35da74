import {dependencyNotice} from '../dependency-notice.js'
import {commit, FileAction} from '../engine/commit.js'
import {toUserError} from '../engine/fs-errors.js'
import {settleInterruptedInit, withLock} from '../engine/lock.js'
import {checkPlannedPaths} from '../engine/preflight.js'
import {formatPlan} from '../engine/output.js'
import {loadProject} from '../engine/project.js'
import {Reporter} from '../engine/reporter.js'
import {Tree} from '../engine/tree.js'
import {emitFor} from '../runtime/imports.js'
import {apply, Mode} from './declarations.js'
import {NameTakenError, quote, UserError} from '../errors.js'
import {EntityGenerator, Prepared, ResultKind} from './entity.js'
import {describeReferences, pipelinesOf, usersOf} from './references.js'
import type {Replacing} from './replace.js'
import {describeUnit, replacements, resolveReplacements} from './rerun.js'

export interface WriteOptions {
  cwd: string
  diff?: boolean
  dryRun?: boolean
  force?: boolean
  /** asks whether to replace a unit of another kind that holds the name; given only on a TTY */
  confirmReplacement?: (question: string) => Promise<boolean>
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
  await settleInterruptedInit(write.cwd)
  const project = loadProject(write.cwd)
  let entered = false
  const work = async () => {
    entered = true
    const tree = new Tree(project.root)
    let replaced = new Map<string, FileAction['action']>()
    let packageBefore: string | undefined
    let packageAfter: string | undefined
    let replacing: Replacing | undefined
    const prepared = await Promise.resolve()
      .then(async () => {
        let declared: Prepared
        try {
          declared = generator.prepare(project, tree, options, mode)
        } catch (error) {
          // A name held by a unit of another kind: plan that unit out, then this one in; resolved below like a conflict.
          // (Only the unit's own name: a pipeline's scaffolded step on a taken name stays a refusal.)
          if (mode !== 'generate' || !RERUN_CHECKED.has(generator.kind) || !(error instanceof NameTakenError) || error.wanted !== generator.kind) throw error
          const {planReplacement} = await import('./replace.js')
          replacing = await planReplacement(project, tree, error, generator.kind, options.name)
          declared = generator.prepare(project, tree, options, mode)
        }

        packageBefore = tree.read('package.json')
        const pipelines = mode === 'destroy' ? pipelinesOf(tree) : []
        await apply(tree, declared.declarations, mode, declared.context)
        emitFor(tree, project.config.runtime)
        if (mode === 'destroy' && !write.force) assertUnused(tree, declared, pipelines)
        // (a unit of another kind being replaced is one conflict, resolved below as a whole)
        if (mode === 'generate' && (generator.rerunChecked ?? RERUN_CHECKED.has(declared.kind)) && !replacing) {
          replaced = await resolveReplacements(tree, await replacements(tree, declared.derived, declared.redefined), write, describeUnit(declared.kind, declared.names.camel))
        }

        packageAfter = tree.read('package.json')
        checkPlannedPaths(tree)
        return declared
      })
      .catch((error) => {
        throw toUserError(error, project.root, 'read')
      })
    let decision: 'keep' | 'plan' | 'replace' | undefined
    if (replacing) {
      const {describeReplacement, resolveReplacement} = await import('./replace.js')
      decision = await resolveReplacement(tree, replacing, prepared, write)
      if (decision === 'keep') {
        const kept = {dryRun: Boolean(write.dryRun), files: [{action: 'skip' as const, path: replacing.old.names.file}]}
        for (const line of formatPlan(kept, reporter.colorize, reporter.verbose)) reporter.log(line)
        const notices = [`Kept the ${replacing.old.kind} ${quote(replacing.old.names.camel)}; nothing was written (--force replaces it: ${describeReplacement(tree, replacing, prepared)}).`]
        for (const line of notices) reporter.notice(line)
        return {...kept, exportName: prepared.names.exportName, kind: prepared.kind, mode, name: prepared.names.camel, notices, root: project.root}
      }

      if (decision === 'plan') prepared.notices = [...(prepared.notices ?? []), `This run replaces the ${replacing.old.kind} ${quote(replacing.old.names.camel)}, so it is a conflict: pass --force to do it, or --skip to keep the ${replacing.old.kind}.`]
    }

    const committed = await commit(tree, {
      by: `${prepared.kind}:${prepared.names.camel}`,
      diff: write.diff,
      dryRun: write.dryRun,
      // A replacement agreed to deletes the old unit's files, changed ones included (the question named them):
      // keeping one would leave an unregistered unit under the name of the new one.
      force: write.force || decision === 'replace',
      resolveConflict: write.resolveConflict,
      skip: write.skip,
    }).catch((error) => {
      throw toUserError(error, project.root)
    })
    const shown = mergeReplaced(committed.files, replaced)
    // In a dry run without --force, the old unit's deletions are what the conflict is about.
    const result = {...committed, files: decision === 'plan' ? shown.map((file) => (replacing!.deleted.includes(file.path) ? {...file, action: 'conflict' as const} : file)) : shown}
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

/** Destroy refuses to remove a unit that a pipeline, or code in another agent, workflow or function, still uses: it names each user. */
function assertUnused(tree: Tree, prepared: Prepared, pipelines: string[]): void {
  const references = usersOf(tree, prepared, pipelines)
  if (references.length === 0) return
  throw new UserError(
    `Destroying the ${prepared.kind} ${quote(prepared.names.camel)} would leave references to it behind: ${describeReferences(references)}. Nothing was written. Change or destroy ${references.length === 1 ? 'that user' : 'those users'} first, or pass --force to destroy it anyway ("restack doctor" then lists the dangling references).`,
  )
}
