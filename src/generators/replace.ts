import {join} from 'node:path'

import {NameTakenError, quote, UserError} from '../errors.js'
import {isOurs, readLedger} from '../engine/ledger.js'
import {Project} from '../engine/project.js'
import {readDisk, Tree} from '../engine/tree.js'
import {apply} from './declarations.js'
import {EntityGenerator, Prepared} from './entity.js'
import {describeReferences, pipelinesOf, usersOf} from './references.js'

/** A unit of another kind that holds the name a generator was asked for, planned out of the tree. */
export interface Replacing {
  /** its files this run deletes, and those of them changed since restack generated them */
  deleted: string[]
  edited: string[]
  /** the name as the user typed it */
  input: string
  old: Prepared
}

async function generatorOf(kind: NameTakenError['taken']['kind']): Promise<EntityGenerator<{name: string}>> {
  switch (kind) {
    case 'agent':
      return (await import('./agent/generator.js')).agentGenerator
    case 'function':
      return (await import('./function/generator.js')).functionGenerator
    case 'pipeline':
      return (await import('./pipeline/generator.js')).pipelineGenerator
    case 'workflow':
      return (await import('./workflow/generator.js')).workflowGenerator
  }
}

const article = (kind: string): string => (/^[aeiou]/.test(kind) ? 'an' : 'a')

/**
 * Plans the unit that holds the name out of the tree, exactly as `restack destroy:<kind>` would
 * (its files, its registrations, a pipeline's restack.yaml entry and scaffolded steps). Refused when
 * anything still uses that unit: replacing it would leave those users calling a unit of another
 * kind under its name, which no flag makes safe.
 */
export async function planReplacement(project: Project, tree: Tree, taken: NameTakenError, wanted: string, input: string): Promise<Replacing> {
  const {kind, name} = taken.taken
  const old = (await generatorOf(kind)).prepare(project, tree, {name}, 'destroy')
  const pipelines = pipelinesOf(tree)
  await apply(tree, old.declarations, 'destroy', old.context)
  const users = usersOf(tree, old, pipelines)
  if (users.length > 0) {
    throw new UserError(
      `${quote(input)} is taken by the ${kind} ${quote(name)} (${taken.taken.file}), and generating ${article(wanted)} ${wanted} under that name would replace it, but that ${kind} is still used: ${describeReferences(users)}. Those users would call a unit of another kind, so this is refused even with --force; nothing was written. Choose another name for the ${wanted}, or change those users and destroy the ${kind} first ("restack d ${kind} ${name}").`,
    )
  }

  const ledger = readLedger(tree)
  const deleted = tree
    .changes()
    .filter((change) => change.intent === 'delete' && readDisk(join(tree.root, change.path)) !== undefined)
    .map((change) => change.path)
  const edited = deleted.filter((path) => !isOurs(ledger, path, readDisk(join(tree.root, path))!))
  return {deleted, edited, input, old}
}

/** What replacing the unit would change, in one sentence: deletions, other edits and new files. */
export function describeReplacement(tree: Tree, replacing: Replacing, prepared: Prepared): string {
  const changes = tree.changes().filter((change) => !change.path.startsWith('.restack/'))
  const created = changes.filter((change) => change.intent !== 'delete' && readDisk(join(tree.root, change.path)) === undefined).map((change) => change.path)
  const updated = changes.filter((change) => change.intent !== 'delete' && !created.includes(change.path) && readDisk(join(tree.root, change.path)) !== change.content).map((change) => change.path)
  const stillDeleted = new Set(changes.filter((change) => change.intent === 'delete').map((change) => change.path))
  const deleted = replacing.deleted.filter((path) => stillDeleted.has(path)).map((path) => (replacing.edited.includes(path) ? `${path} (changed since it was generated)` : path))
  const {kind, names} = replacing.old
  return `replacing the ${kind} ${quote(names.camel)} with the ${prepared.kind} ${quote(prepared.names.camel)} deletes ${deleted.join(', ') || 'nothing'}; updates ${updated.join(', ') || 'nothing'}; creates ${created.join(', ') || 'nothing'}`
}

/**
 * A name held by a unit of another kind is a conflict like any other: --force replaces the unit,
 * --skip keeps it and writes nothing, a dry run shows the replacement, a terminal asks, and
 * otherwise one paragraph says what would change.
 */
export async function resolveReplacement(
  tree: Tree,
  replacing: Replacing,
  prepared: Prepared,
  options: {confirmReplacement?: (question: string) => Promise<boolean>; dryRun?: boolean; force?: boolean; skip?: boolean},
): Promise<'keep' | 'plan' | 'replace'> {
  if (options.force) return 'replace'
  if (options.skip) return 'keep'
  if (options.dryRun) return 'plan'
  const what = describeReplacement(tree, replacing, prepared)
  if (options.confirmReplacement) {
    return (await options.confirmReplacement(`The name is taken by the ${replacing.old.kind} ${quote(replacing.old.names.camel)}: ${what}. Replace it?`)) ? 'replace' : 'keep'
  }

  throw new UserError(
    `${quote(replacing.input)} is taken by the ${replacing.old.kind} ${quote(replacing.old.names.camel)} (${replacing.old.names.file}), so generating the ${prepared.kind} would replace it: ${what}. Nothing was written. Pass --force to replace it (--dry-run --force shows the plan first), or --skip to keep the ${replacing.old.kind} and write nothing; or choose another name for the ${prepared.kind}.`,
  )
}
