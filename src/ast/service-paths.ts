import type {Expression, File, Node, ObjectExpression} from '@babel/types'
import {posix} from 'node:path'

import {SERVICES_FILE, findServices} from './services.js'
import {parseModule, walk} from './parse.js'

/** What one `startService({...})` call of services.ts runs, with paths relative to the project root. */
export interface DetectedService {
  /** "src/agents" for `agentsPath: require.resolve("./agents")` */
  agentsPath?: string
  functions: string[]
  /** the queue as written; undefined when the call names none (Restack's default, the project's default queue) */
  taskQueue?: string
  workflowsPath?: string
}

const valueOf = (object: ObjectExpression, name: string): Node | undefined => {
  for (const entry of object.properties) {
    if (entry.type !== 'ObjectProperty') continue
    const key = entry.key.type === 'Identifier' ? entry.key.name : entry.key.type === 'StringLiteral' ? entry.key.value : undefined
    if (key === name) return entry.value
  }

  return undefined
}

/** `const agentsPath = require.resolve("./agents")` and the like: the initializer of a module's const. */
function initializerOf(ast: File, name: string): Expression | undefined {
  for (const node of walk(ast.program)) {
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.id.name === name && node.init) return node.init
  }

  return undefined
}

/**
 * The module path an expression names, relative to services.ts: `require.resolve("./agents")`,
 * `"./agents"`, `path.resolve(__dirname, "./agents")` or `join(__dirname, "agents")`, directly or
 * through a const. Undefined when it is computed some other way.
 */
function modulePath(ast: File, node: Node | undefined, depth = 0): string | undefined {
  if (!node || depth > 3) return undefined
  if (node.type === 'StringLiteral') return node.value
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked ?? undefined
  if (node.type === 'Identifier') return modulePath(ast, initializerOf(ast, node.name), depth + 1)
  if (node.type === 'TSAsExpression' || node.type === 'TSNonNullExpression') return modulePath(ast, node.expression, depth)
  if (node.type === 'CallExpression') {
    const last = node.arguments.at(-1)
    return last && last.type !== 'SpreadElement' && last.type !== 'ArgumentPlaceholder' ? modulePath(ast, last, depth) : undefined
  }

  return undefined
}

/** A path as written in services.ts, as a project-relative folder: "./agents" -> "src/agents". */
const fromServices = (path: string): string => {
  const joined = posix.normalize(posix.join(posix.dirname(SERVICES_FILE), path.replaceAll('\\', '/')))
  return joined.replace(/\/index(\.[cm]?[jt]s)?$/, '').replace(/\.[cm]?[jt]s$/, '')
}

/** Every `startService` call of services.ts: its queue as written, its agent and workflow folders, its functions. */
export function detectServices(source: string, file = SERVICES_FILE): DetectedService[] {
  const ast = parseModule(source, file)
  return findServices(ast, '').map((service) => {
    const queue = valueOf(service.options, 'taskQueue')
    const taskQueue = queue ? modulePath(ast, queue) : undefined
    const agents = valueOf(service.options, 'agentsPath')
    const workflows = valueOf(service.options, 'workflowsPath')
    const agentsPath = modulePath(ast, agents)
    const workflowsPath = modulePath(ast, workflows)
    return {
      ...(agentsPath === undefined ? {} : {agentsPath: fromServices(agentsPath)}),
      functions: service.names,
      ...(taskQueue === undefined ? {} : {taskQueue}),
      ...(workflowsPath === undefined ? {} : {workflowsPath: fromServices(workflowsPath)}),
    }
  })
}
