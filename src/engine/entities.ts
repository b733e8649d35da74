import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'

import {barrelModules} from '../ast/barrel.js'
import {exportsCallable} from '../ast/callable-exports.js'
import {functionQueues, SERVICES_FILE} from '../ast/services.js'
import {Names, splitWords, toNames} from './names.js'
import {Tree} from './tree.js'

export type EntityKind = 'agent' | 'function' | 'workflow'

export const ENTITY_KINDS: EntityKind[] = ['agent', 'workflow', 'function']

export const ENTITY_DIRS: Record<EntityKind, string> = {agent: 'src/agents', function: 'src/functions', workflow: 'src/workflows'}

export const barrelOf = (kind: EntityKind): string => `${ENTITY_DIRS[kind]}/index.ts`

/**
 * The names of an entity of a kind. Restack's conventions: agents export `agent<Pascal>`,
 * workflows `<camel>Workflow`, functions `<camel>`; a kind word the user typed ("SupportAgent")
 * is not doubled.
 */
export function entityNames(kind: EntityKind, input: string): Names & {exportName: string; file: string} {
  toNames(input, `${kind} name`) // a bad name is refused as the user typed it, before any rewriting
  const words = splitWords(input)
  const kindWord = kind === 'function' ? undefined : kind
  const trimmed = kindWord && words.length > 1 ? words.filter((word, index) => word !== kindWord || (index !== 0 && index !== words.length - 1)) : words
  const names = toNames(trimmed.length > 0 ? trimmed.join(' ') : input, `${kind} name`)
  const exportName = kind === 'agent' ? `agent${names.pascal}` : kind === 'workflow' ? `${names.camel}Workflow` : names.camel
  return {...names, exportName, file: `${ENTITY_DIRS[kind]}/${names.camel}.ts`}
}

export interface Entity {
  /** listed in the kind's barrel (index.ts) */
  barrel: boolean
  file: string
  /** the file exists */
  fileExists: boolean
  kind: EntityKind
  /** the file's base name: "sendEmail" */
  name: string
  /** functions: listed in a startService of services.ts */
  service?: boolean
  /** functions: the task queue of the service that runs it */
  taskQueue?: string
}

/** Every agent, workflow and function the project has: files in the kind folders and barrel entries. */
export function listEntities(tree: Tree, defaultQueue: string): Entity[] {
  const queues = tree.exists(SERVICES_FILE) ? functionQueues(tree.read(SERVICES_FILE)!, defaultQueue) : new Map<string, string>()
  const entities: Entity[] = []
  for (const kind of ENTITY_KINDS) {
    const barrel = barrelOf(kind)
    const registered = tree.exists(barrel) ? barrelModules(tree.read(barrel)!, barrel) : []
    const dir = join(tree.root, ENTITY_DIRS[kind])
    const files = existsSync(dir)
      ? readdirSync(dir)
          .filter((entry) => entry.endsWith('.ts') && entry !== 'index.ts' && !entry.endsWith('.d.ts'))
          .map((entry) => entry.slice(0, -3))
      : []
    for (const name of [...new Set([...files, ...registered])].sort()) {
      const file = `${ENTITY_DIRS[kind]}/${name}.ts`
      // A module of schemas or types beside the units (a zod types.ts) is not a unit of its own.
      const source = tree.read(file)
      if (source !== undefined && !exportsCallable(source, file)) continue
      entities.push({
        barrel: registered.includes(name),
        file,
        fileExists: tree.exists(file),
        kind,
        name,
        ...(kind === 'function' ? {service: queues.has(name), taskQueue: queues.get(name)} : {}),
      })
    }
  }

  return entities
}

/**
 * The project's own files, which no unit may be generated onto: the barrels, the service and client
 * modules, the runtime, the configuration, the ledger and the test helpers. Returns what the file is.
 */
export function projectFileRole(path: string): string | undefined {
  const lower = path.toLowerCase()
  for (const kind of ENTITY_KINDS) if (lower === barrelOf(kind).toLowerCase()) return `the ${kind}s' barrel, which registers every ${kind}`
  const fixed: Record<string, string> = {
    'config/prompts.yaml': 'the prompt registry',
    'package.json': "the project's package.json",
    'restack.yaml': "the project's configuration",
    'scripts/bundle-workflows.ts': 'the workflow bundling script',
    'src/client.ts': "the project's Restack client",
    'src/prompts/loader.ts': 'the prompt loader',
    'src/services.ts': 'the service module that registers functions',
    'test/workflow-bundle.test.ts': 'the test that bundles every workflow',
    'tsconfig.json': "the project's TypeScript configuration",
    'tsconfig.typecheck.json': "the project's TypeScript configuration",
  }
  if (fixed[lower]) return fixed[lower]
  if (lower.startsWith('src/restack/')) return 'part of the Restack runtime (src/restack/)'
  if (lower.startsWith('test/helpers/')) return 'a test helper (test/helpers/)'
  if (lower.startsWith('.restack/')) return "restack's own state (.restack/)"
  return undefined
}
