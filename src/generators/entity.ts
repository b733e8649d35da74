import {quote, UserError} from '../errors.js'
import {EntityKind, entityNames, listEntities} from '../engine/entities.js'
import {Names} from '../engine/names.js'
import {Project} from '../engine/project.js'
import {Tree} from '../engine/tree.js'
import {Declaration, Mode} from './declarations.js'

export type EntityNames = Names & {exportName: string; file: string}

/** What a generator has decided once options are valid: its names, declarations and template context. */
/** What a generator makes; plugins add their own kinds ("llm-config", "tool-server"). */
export type ResultKind = 'pipeline' | 'prompt' | EntityKind | (string & {})

export interface Prepared {
  context: object
  declarations: Declaration[]
  kind: ResultKind
  names: EntityNames
}

export interface EntityGenerator<Options extends {name: string}> {
  kind: ResultKind
  /** Validates everything against the project (throws a UserError naming the value and the fix), then declares. */
  prepare(project: Project, tree: Tree, options: Options, mode: Mode): Prepared
}

/** Names for a new entity of `kind`, refusing a name another kind already uses. */
export function claimNames(project: Project, tree: Tree, kind: EntityKind, input: string): EntityNames {
  const names = entityNames(kind, input)
  const taken = listEntities(tree, project.config.defaults.taskQueue).find((entity) => entity.name === names.camel && entity.kind !== kind)
  if (taken) {
    throw new UserError(
      `${quote(input)} is already taken: the project has ${taken.kind === 'agent' ? 'an' : 'a'} ${taken.kind} ${quote(taken.name)} (${taken.file}), and names must be unique across agents, workflows and functions. Choose another name, e.g. ${quote(`${names.pascal}${kind.charAt(0).toUpperCase()}${kind.slice(1)}`)}.`,
    )
  }

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
