import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'

import {parseModule, walk} from '../ast/parse.js'
import {ENTITY_DIRS, EntityKind, entityNames} from '../engine/entities.js'
import type {Prepared} from './entity.js'
import {CONFIG_FILE} from '../engine/project.js'
import {Tree} from '../engine/tree.js'
import {pipelineNames, readPipeline} from '../pipeline/config.js'
import {parsePipeline} from '../pipeline/parser.js'
import {nameKey, stepsOf} from '../pipeline/resolve.js'

/** A unit as references name it: its kind, its module (file base name) and its exported identifier. */
export interface UnitRef {
  exportName: string
  kind: EntityKind
  module: string
}

/** Who uses a unit: a pipeline's expression, or code in an agent, workflow or function file. */
export interface Reference {
  /** the unit that is used */
  target: UnitRef
  /** where: "restack.yaml: pipelines.blogPipeline" or "src/agents/support.ts" */
  where: string
}

/** The exported identifier of a module of a kind: pipelines (workflows listed in restack.yaml) export their own name. */
export function unitRef(kind: EntityKind, module: string, pipelines: string[]): UnitRef {
  if (kind === 'workflow' && pipelines.includes(module)) return {exportName: module, kind, module}
  try {
    return {exportName: entityNames(kind, module).exportName, kind, module}
  } catch {
    return {exportName: module, kind, module}
  }
}

/** What a module's code (not its comments) uses of other units. */
export interface Uses {
  /** functions called as steps: `step(...).x(...)`, or named in `functions.x` / `typeof functions.x` */
  functions: Set<string>
  /** names imported from agent and workflow modules or their barrels: "module:exportName" and "*:exportName" */
  imports: Set<string>
  /** relative module specifiers imported from: "./report", "../agents/support" */
  sources: Set<string>
  /** string literals: children started by name */
  strings: Set<string>
}

export function usesIn(source: string, file: string): Uses {
  const uses: Uses = {functions: new Set(), imports: new Set(), sources: new Set(), strings: new Set()}
  let ast
  try {
    ast = parseModule(source, file)
  } catch {
    return uses
  }

  for (const node of walk(ast.program)) {
    if (node.type === 'StringLiteral') uses.strings.add(node.value)
    else if (node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier') {
      const {object} = node
      const isStep = object.type === 'CallExpression' && object.callee.type === 'Identifier' && object.callee.name === 'step'
      if (isStep || (object.type === 'Identifier' && object.name === 'functions')) uses.functions.add(node.property.name)
    } else if (node.type === 'TSTypeQuery' && node.exprName.type === 'TSQualifiedName' && node.exprName.left.type === 'Identifier' && node.exprName.left.name === 'functions') {
      // `typeof functions.x` names a function; a type such as `functions.Message` (Restack's examples export types beside functions) does not
      uses.functions.add(node.exprName.right.name)
    } else if (node.type === 'ImportDeclaration') {
      const from = node.source.value
      if (from.startsWith('.')) uses.sources.add(from)
      const module = from.split('/').at(-1)!
      const barrel = /^\.\.?\/(\.\.\/)*(agents|workflows)$/.test(from) || from === '.'
      for (const specifier of node.specifiers) {
        if (specifier.type !== 'ImportSpecifier') continue
        const imported = specifier.imported.type === 'Identifier' ? specifier.imported.name : specifier.imported.value
        uses.imports.add(`${barrel ? '*' : module}:${imported}`)
      }
    }
  }

  return uses
}

const uses = (found: Uses, target: UnitRef): boolean =>
  target.kind === 'function'
    ? found.functions.has(target.exportName)
    : found.imports.has(`${target.module}:${target.exportName}`) || found.imports.has(`*:${target.exportName}`) || found.strings.has(target.exportName)

/**
 * References to `targets` from the project's pipelines (restack.yaml) and its agent, workflow and
 * function files, leaving out `ignore`: the files and pipelines the same command removes.
 */
export function findReferences(tree: Tree, targets: UnitRef[], ignore: {files: Set<string>; pipelines: Set<string>}): Reference[] {
  const references: Reference[] = []
  const config = tree.read(CONFIG_FILE) ?? ''
  let pipelines: string[] = []
  try {
    pipelines = pipelineNames(config)
  } catch {
    // restack.yaml that does not parse: no pipelines to ask
  }

  for (const pipeline of pipelines) {
    if (ignore.pipelines.has(pipeline)) continue
    let steps: string[] = []
    try {
      const operators = readPipeline(config, pipeline)?.operators
      steps = operators ? stepsOf(parsePipeline(operators)).map((step) => nameKey(step.name)) : []
    } catch {
      continue
    }

    for (const target of targets) {
      if (steps.includes(nameKey(target.module)) || steps.includes(nameKey(target.exportName))) references.push({target, where: `${CONFIG_FILE}: pipelines.${pipeline}`})
    }
  }

  for (const dir of Object.values(ENTITY_DIRS)) {
    const absolute = join(tree.root, dir)
    if (!existsSync(absolute)) continue
    for (const entry of readdirSync(absolute).sort()) {
      const file = `${dir}/${entry}`
      if (!entry.endsWith('.ts') || entry === 'index.ts' || ignore.files.has(file)) continue
      const source = tree.read(file)
      if (source === undefined) continue
      const found = usesIn(source, file)
      for (const target of targets) {
        if (file === `${ENTITY_DIRS[target.kind]}/${target.module}.ts`) continue
        if (uses(found, target)) references.push({target, where: file})
      }
    }
  }

  return references
}

/** "sendEmail (function) is used by restack.yaml: pipelines.blogPipeline, src/agents/support.ts" */
export function describeReferences(references: Reference[]): string {
  const byTarget = new Map<string, string[]>()
  for (const reference of references) {
    const key = `${reference.target.module} (${reference.target.kind})`
    byTarget.set(key, [...(byTarget.get(key) ?? []), reference.where])
  }

  return [...byTarget].map(([target, where]) => `${target} is used by ${[...new Set(where)].join(', ')}`).join('; ')
}

/** The pipelines restack.yaml has (none when it does not parse: nothing to ask then). */
export function pipelinesOf(tree: Tree): string[] {
  try {
    return pipelineNames(tree.read(CONFIG_FILE) ?? '')
  } catch {
    return []
  }
}

/**
 * Who still uses the units a destroy (already applied to `tree`) takes out. `pipelines`: the
 * pipelines restack.yaml had before, whose units export their own names.
 */
export function usersOf(tree: Tree, prepared: Prepared, pipelines: string[]): Reference[] {
  const kinds = Object.entries(ENTITY_DIRS) as Array<[EntityKind, string]>
  const targets = prepared.declarations.flatMap((declaration) => {
    if (declaration.type !== 'barrel') return []
    const kind = kinds.find(([, dir]) => declaration.barrel === `${dir}/index.ts`)?.[0]
    return kind ? [unitRef(kind, declaration.module, pipelines)] : []
  })
  const removed = new Set(prepared.declarations.flatMap((declaration) => (declaration.type === 'pipeline' ? [declaration.name] : [])))
  const deleted = new Set(tree.changes().filter((change) => change.intent === 'delete').map((change) => change.path))
  return findReferences(tree, targets, {files: deleted, pipelines: removed})
}
