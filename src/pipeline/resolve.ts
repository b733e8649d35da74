import {quote, UserError} from '../errors.js'
import {Entity, EntityKind, entityNames} from '../engine/entities.js'
import {splitWords} from '../engine/names.js'
import {closest} from '../engine/suggest.js'
import {PipelineNode, StepNode} from './ir.js'

/** A step name bound to a project entity (or to a function the generator will scaffold). */
export interface ResolvedStep {
  /** the identifier to call: agentSupport, onboardingWorkflow, sendEmail */
  exportName: string
  kind: EntityKind
  /** the file's base name, e.g. "sendEmail" */
  module: string
  /** true when the function does not exist yet and --scaffold-missing creates it */
  scaffold: boolean
  taskQueue?: string
}

/** Case- and style-insensitive key: "SEND_EMAIL", "sendEmail" and "send-email" are one name. */
export const nameKey = (name: string): string => splitWords(name).join('')

export function stepsOf(node: PipelineNode): StepNode[] {
  switch (node.type) {
    case 'step':
      return [node]
    case 'conditional':
      return [...stepsOf(node.condition), ...stepsOf(node.then), ...(node.else ? stepsOf(node.else) : [])]
    default:
      return node.items.flatMap((item) => stepsOf(item))
  }
}

/** A loop or a conditional anywhere: then runs can take different paths. */
export const hasBranches = (node: PipelineNode): boolean =>
  node.type === 'loop' || node.type === 'conditional' || (node.type === 'sequence' && node.items.some((item) => hasBranches(item)))

/**
 * Binds every step name of the expression to an agent, workflow or function of the project
 * (matching the file name or the exported name). Unknown names are an error listing what exists,
 * with a "did you mean", unless `scaffoldMissing` turns them into new functions.
 */
export function resolveSteps(
  root: PipelineNode,
  entities: Entity[],
  options: {defaultQueue: string; exclude?: string; pipelines: Set<string>; scaffoldMissing: boolean},
): Map<string, ResolvedStep> {
  const {defaultQueue, exclude, pipelines, scaffoldMissing} = options
  const byKey = new Map<string, ResolvedStep>()
  for (const entity of entities) {
    if (entity.kind === 'workflow' && entity.name === exclude) continue
    // A pipeline's file name is its exported name; other kinds follow entityNames.
    const exportName = entity.kind === 'workflow' && pipelines.has(entity.name) ? entity.name : entityNames(entity.kind, entity.name).exportName
    const resolved: ResolvedStep = {exportName, kind: entity.kind, module: entity.name, scaffold: false, taskQueue: entity.taskQueue === defaultQueue ? undefined : entity.taskQueue}
    byKey.set(nameKey(entity.name), resolved)
    byKey.set(nameKey(exportName), resolved)
  }

  const resolved = new Map<string, ResolvedStep>()
  const missing: StepNode[] = []
  for (const step of stepsOf(root)) {
    const key = nameKey(step.name)
    const found = byKey.get(key)
    if (found) resolved.set(step.name, found)
    else if (scaffoldMissing) {
      const names = entityNames('function', step.name)
      resolved.set(step.name, {exportName: names.exportName, kind: 'function', module: names.camel, scaffold: true})
    } else missing.push(step)
  }

  if (missing.length > 0) {
    const unknown = [...new Set(missing.map((step) => step.name))]
    const known = [...new Set([...byKey.values()].map((step) => `${step.module} (${step.kind})`))].sort()
    const guesses = unknown.map((name) => [name, closest(nameKey(name), [...new Set(entities.map((entity) => entity.name))])] as const).filter(([, guess]) => guess)
    throw new UserError(
      `${unknown.length === 1 ? 'The step' : 'The steps'} ${unknown.map((name) => `${quote(name)} (column ${missing.find((step) => step.name === name)!.start + 1})`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not an agent, workflow or function of this project.${guesses.map(([name, guess]) => ` Did you mean ${quote(guess!)} for ${quote(name)}?`).join('')} Known: ${known.join(', ') || 'none'}. Generate ${unknown.length === 1 ? 'it' : 'them'} first, or pass --scaffold-missing to create ${unknown.length === 1 ? 'it as a function' : 'them as functions'} in the same run.`,
    )
  }

  return resolved
}
