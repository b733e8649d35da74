import {NameTakenError, quote, UserError} from '../errors.js'
import {CONFIG_FILE} from '../engine/project.js'
import {pipelineNames} from '../pipeline/config.js'
import {EntityKind, entityNames, listEntities, projectFileRole} from '../engine/entities.js'
import {Names} from '../engine/names.js'
import {Project} from '../engine/project.js'
import {Tree} from '../engine/tree.js'
import {Declaration, Mode} from './declarations.js'
import {assertNoClash} from './identifiers.js'

export type EntityNames = Names & {exportName: string; file: string}

/** What a generator has decided once options are valid: its names, declarations and template context. */
/** What a generator makes; plugins add their own kinds ("llm-config", "tool-server"). */
export type ResultKind = 'pipeline' | 'prompt' | EntityKind | (string & {})

export interface Prepared {
  context: object
  /** compiled output this generator rewrites on purpose when it runs again (a pipeline's workflow) */
  derived?: string[]
  declarations: Declaration[]
  kind: ResultKind
  names: EntityNames
  /** sentences for the user about what this run leaves as it is (printed on stderr, and in --json) */
  notices?: string[]
  /**
   * files outside the unit's own that this run edits only to define the unit again (a tool server's
   * entry in config/tools.yaml): for a rerun-checked kind, other content there is a conflict too
   */
  redefined?: string[]
}

export interface EntityGenerator<Options extends {name: string}> {
  kind: ResultKind
  /**
   * Running the generator again with other output is a conflict (--force, --skip, a prompt), never a
   * silent update. On by default for the core's unit kinds; a plugin kind whose files are a singleton
   * (the LLM router) turns it on; kinds that regenerate a shared registry file leave it off.
   */
  rerunChecked?: boolean
  /** Validates everything against the project (throws a UserError naming the value and the fix), then declares. */
  prepare(project: Project, tree: Tree, options: Options, mode: Mode): Prepared
}

/** A name that works for a kind, for error messages: "Log" -> "LogStep" for a function. */
const SUFFIX: Record<EntityKind, string> = {agent: 'Assistant', function: 'Step', workflow: 'Flow'}

/**
 * Names for a new entity of `kind`. Refused: a name whose file is a project file (`index` is the
 * barrel), a name another unit already uses in any case (greet.ts and grEeT.ts are one file on
 * case-insensitive file systems), and an exported identifier that clashes with what the files the
 * unit is written or imported into already declare.
 */
export function claimNames(project: Project, tree: Tree, kind: EntityKind, input: string): EntityNames {
  const names = entityNames(kind, input)
  const suggestion = (attempt = 0): string => `${names.pascal}${SUFFIX[kind]}${attempt === 0 ? '' : attempt + 1}`
  const role = projectFileRole(names.file)
  if (role) {
    throw new UserError(
      `${quote(input)} cannot be ${kind === 'agent' ? 'an' : 'a'} ${kind}'s name: its file would be ${names.file}, which is ${role}, not ${kind === 'agent' ? 'an' : 'a'} ${kind}. Choose another name, e.g. ${quote(suggestion())}.`,
    )
  }

  // A unit this run already planned out of the tree (a replacement) no longer holds its name.
  const entities = listEntities(tree, project.config.defaults.taskQueue).filter((entity) => entity.fileExists || entity.barrel)
  const taken = entities.find((entity) => entity.name === names.camel && entity.kind !== kind)
  if (taken) {
    const takenKind = taken.kind === 'workflow' && pipelineNames(tree.read(CONFIG_FILE) ?? '').includes(taken.name) ? 'pipeline' : taken.kind
    throw new NameTakenError(
      `${quote(input)} is already taken: the project has ${takenKind === 'agent' ? 'an' : 'a'} ${takenKind} ${quote(taken.name)} (${taken.file}), and names must be unique across agents, workflows and functions. Choose another name, e.g. ${quote(`${names.pascal}${kind.charAt(0).toUpperCase()}${kind.slice(1)}`)}.`,
      {file: taken.file, kind: takenKind, name: taken.name},
      kind,
    )
  }

  const cased = entities.find((entity) => entity.name !== names.camel && entity.name.toLowerCase() === names.camel.toLowerCase())
  if (cased) {
    throw new UserError(
      `${quote(input)} collides with the ${cased.kind} ${quote(cased.name)} (${cased.file}): the names differ only in case, and on case-insensitive file systems (macOS, Windows) their files are one file. Use ${quote(cased.name)} to mean that ${cased.kind}, or choose another name, e.g. ${quote(suggestion())}.`,
    )
  }

  assertNoClash(tree, kind, input, names.exportName, (attempt) => ({exportName: entityNames(kind, suggestion(attempt)).exportName, input: suggestion(attempt)}))
  return names
}

/** The names of an entity to destroy, which must exist in some form. */
export function existingNames(project: Project, tree: Tree, kind: EntityKind, input: string): EntityNames {
  const names = entityNames(kind, input)
  const found = listEntities(tree, project.config.defaults.taskQueue).some((entity) => entity.name === names.camel && entity.kind === kind)
  if (!found) {
    throw new UserError(`There is no ${kind} ${quote(names.camel)} to destroy: no ${names.file} and no registration. "restack list" shows what the project has.`)
  }

  return names
}

export const testPath = (kind: EntityKind, names: EntityNames): string => `test/${kind === 'function' ? 'functions' : `${kind}s`}/${names.camel}.test.ts`

/** Generating claims a free name; destroying needs one that exists. */
export const namesFor = (project: Project, tree: Tree, kind: EntityKind, input: string, mode: Mode): EntityNames =>
  mode === 'generate' ? claimNames(project, tree, kind, input) : existingNames(project, tree, kind, input)

/** A unit's own task queue (--task-queue), checked; undefined when it runs on the project's default queue. */
export function unitQueue(project: Project, queue: string | undefined): string | undefined {
  if (queue === undefined || queue === project.config.defaults.taskQueue) return undefined
  if (!/^[\w.-]+$/.test(queue)) {
    throw new UserError(`${quote(queue)} is not a valid task queue for --task-queue: use letters, digits, ".", "-" and "_", e.g. "todo-workflows"; nothing was written.`)
  }

  return queue
}
