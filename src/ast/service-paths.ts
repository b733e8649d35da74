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

/** The directory of services.ts, relative to the project root: what `__dirname` is there. */
const SERVICES_DIR = posix.dirname(SERVICES_FILE)

const isIdentifier = (node: Node | undefined, name: string): boolean => node?.type === 'Identifier' && node.name === name

/** `path.join`, `join`, `posix.resolve`, `path.posix.join`...: the callee's last name when it is join or resolve. */
function pathFunction(callee: Node): 'join' | 'resolve' | undefined {
  const name = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' && callee.property.type === 'Identifier' ? callee.property.name : undefined
  return name === 'join' || name === 'resolve' ? name : undefined
}

const isRequireResolve = (callee: Node): boolean =>
  callee.type === 'MemberExpression' && isIdentifier(callee.object, 'require') && callee.property.type === 'Identifier' && callee.property.name === 'resolve'

/**
 * What an expression of services.ts evaluates to, as far as it can be told without running it: a
 * string, or a path relative to the project root (`{path}`; `__dirname` is services.ts's folder and
 * `process.cwd()` the root, where npm scripts run). The forms Restack's examples and Node projects
 * write: `require.resolve("./agents")` (also with options), `"./agents"`, `path.join(__dirname,
 * "agents", "index")`, `path.resolve(__dirname, "./agents")`, `` `${__dirname}/agents` ``,
 * `__dirname + "/agents"`, `fileURLToPath(new URL("./agents", import.meta.url))`, directly or
 * through a const. Undefined for anything else.
 */
type Value = {path: string} | {text: string}

function evaluate(ast: File, node: Node | undefined | null, depth = 0): undefined | Value {
  if (!node || depth > 4) return undefined
  switch (node.type) {
    case 'StringLiteral': {
      return {text: node.value}
    }

    case 'TemplateLiteral': {
      let text = ''
      let base: string | undefined
      for (const [index, quasi] of node.quasis.entries()) {
        text += quasi.value.cooked ?? ''
        const expression = node.expressions[index]
        if (!expression) continue
        const value = evaluate(ast, expression, depth)
        if (!value) return undefined
        if ('path' in value) {
          if (index !== 0 || text !== '') return undefined // a path only at the start
          base = value.path
        } else {
          text += value.text
        }
      }

      if (base === undefined) return {text}
      // `${__dirname}agents` is ".../srcagents" to Node: only a "/" (or nothing) may follow the path
      return text === '' || text.startsWith('/') ? {path: posix.join(base, text)} : undefined
    }

    case 'BinaryExpression': {
      if (node.operator !== '+') return undefined
      const left = evaluate(ast, node.left, depth)
      const right = evaluate(ast, node.right, depth)
      if (!left || !right || 'path' in right) return undefined
      if (!('path' in left)) return {text: left.text + right.text}
      // __dirname + "agents" is ".../srcagents" to Node: only a "/" (or nothing) may follow the path
      return right.text === '' || right.text.startsWith('/') ? {path: posix.join(left.path, right.text)} : undefined
    }

    case 'Identifier': {
      if (node.name === '__dirname') return {path: SERVICES_DIR}
      return evaluate(ast, initializerOf(ast, node.name), depth + 1)
    }

    case 'TSAsExpression':
    case 'TSNonNullExpression':
    case 'TSSatisfiesExpression':
    case 'ParenthesizedExpression': {
      return evaluate(ast, node.expression, depth)
    }

    case 'NewExpression': {
      // new URL("./agents", import.meta.url): relative to this module
      const [relative, base] = node.arguments
      if (!isIdentifier(node.callee, 'URL') || base?.type !== 'MemberExpression' || base.object.type !== 'MetaProperty') return undefined
      const value = evaluate(ast, relative as Node, depth)
      return value && 'text' in value && value.text.startsWith('.') ? {path: posix.join(SERVICES_DIR, value.text)} : undefined
    }

    case 'CallExpression': {
      const {arguments: args, callee} = node
      if (args.some((arg) => arg.type === 'SpreadElement' || arg.type === 'ArgumentPlaceholder')) return undefined
      // process.cwd(): the project root
      if (callee.type === 'MemberExpression' && isIdentifier(callee.object, 'process') && isIdentifier(callee.property, 'cwd') && args.length === 0) return {path: ''}
      // require.resolve(request[, options]): the request, relative to this module when it starts with
      // ".", or to the one folder of options.paths when it has that
      if (isRequireResolve(callee)) {
        const value = evaluate(ast, args[0] as Node, depth)
        if (!value) return undefined
        if ('path' in value) return value
        const base = args.length > 1 ? searchFolder(ast, args[1] as Node, depth) : SERVICES_DIR
        return base !== undefined && value.text.startsWith('.') ? {path: posix.join(base, value.text)} : undefined
      }

      // fileURLToPath(url)
      if (isIdentifier(callee, 'fileURLToPath') || (callee.type === 'MemberExpression' && isIdentifier(callee.property, 'fileURLToPath'))) return evaluate(ast, args[0] as Node, depth)
      const fn = pathFunction(callee)
      if (!fn || args.length === 0) return undefined
      // join/resolve: segments from the first path on; a relative start is relative to the working directory, the root
      let base = ''
      const segments: string[] = []
      for (const arg of args) {
        const value = evaluate(ast, arg as Node, depth)
        if (!value) return undefined
        if ('path' in value) {
          if (segments.length > 0 && fn === 'join') return undefined
          base = value.path
          segments.length = 0
        } else if (value.text.startsWith('/')) {
          return undefined // an absolute path: outside what init can place in the project
        } else {
          segments.push(value.text)
        }
      }

      return {path: posix.join(base, ...segments)}
    }

    default: {
      return undefined
    }
  }
}

/**
 * Where require.resolve's options make a relative request start: services.ts's folder without `paths`,
 * the folder of a one-entry `paths: [...]`; undefined for anything else (several folders, computed options).
 */
function searchFolder(ast: File, options: Node, depth: number): string | undefined {
  if (options.type !== 'ObjectExpression') return undefined
  let folder: string | undefined = SERVICES_DIR
  for (const property of options.properties) {
    if (property.type !== 'ObjectProperty' || property.computed) return undefined
    const key = property.key.type === 'Identifier' ? property.key.name : property.key.type === 'StringLiteral' ? property.key.value : undefined
    if (key !== 'paths') continue
    const {value} = property
    if (value.type !== 'ArrayExpression' || value.elements.length !== 1) return undefined
    const entry = evaluate(ast, value.elements[0] as Node | null, depth)
    folder = entry && 'path' in entry ? entry.path : undefined
  }

  return folder
}

/**
 * The project-relative folder an agentsPath/workflowsPath names ("src/agents"), or undefined when it
 * cannot be told or lies outside the project. A bare string is relative to services.ts, as before.
 */
function folderOf(ast: File, node: Node | undefined): string | undefined {
  const value = evaluate(ast, node)
  if (!value) return undefined
  let path: string
  if ('path' in value) path = value.path
  else if (value.text.startsWith('.')) path = posix.join(SERVICES_DIR, value.text)
  else return undefined
  const normalized = posix.normalize(path.replaceAll('\\', '/')).replace(/\/$/, '')
  if (normalized === '.' || normalized === '..' || normalized.startsWith('../') || normalized.startsWith('/')) return undefined
  return normalized.replace(/\/index(\.[cm]?[jt]s)?$/, '').replace(/\.[cm]?[jt]s$/, '')
}

/** A task queue as written: a string, directly or through a const. */
function queueOf(ast: File, node: Node | undefined): string | undefined {
  const value = evaluate(ast, node)
  return value && 'text' in value ? value.text : undefined
}

/** A value of a startService call that init cannot tell: which key, where, and how it is written. */
export interface UnresolvedValue {
  key: 'agentsPath' | 'taskQueue' | 'workflowsPath'
  line: number
  text: string
}

/** Every `startService` call of services.ts: its queue as written, its agent and workflow folders, its functions. */
export function detectServices(source: string, file = SERVICES_FILE): DetectedService[] {
  const ast = parseModule(source, file)
  return findServices(ast, '').map((service) => {
    const queue = valueOf(service.options, 'taskQueue')
    const taskQueue = queue ? queueOf(ast, queue) : undefined
    const agentsPath = folderOf(ast, valueOf(service.options, 'agentsPath'))
    const workflowsPath = folderOf(ast, valueOf(service.options, 'workflowsPath'))
    return {
      ...(agentsPath === undefined ? {} : {agentsPath}),
      functions: service.names,
      ...(taskQueue === undefined ? {} : {taskQueue}),
      ...(workflowsPath === undefined ? {} : {workflowsPath}),
    }
  })
}

/**
 * The agentsPath, workflowsPath and taskQueue values of services.ts's startService calls that
 * detectServices cannot tell (computed at run time, or outside the project): guessing would put the
 * project's units in the wrong folder or on the wrong queue, so init refuses them.
 */
export function unresolvedServiceValues(source: string, file = SERVICES_FILE): UnresolvedValue[] {
  const ast = parseModule(source, file)
  const found: UnresolvedValue[] = []
  for (const service of findServices(ast, '')) {
    for (const key of ['agentsPath', 'workflowsPath', 'taskQueue'] as const) {
      const node = valueOf(service.options, key)
      if (!node) continue
      const known = key === 'taskQueue' ? queueOf(ast, node) !== undefined : folderOf(ast, node) !== undefined
      if (!known) found.push({key, line: node.loc?.start.line ?? 0, text: source.slice(node.start!, node.end!)})
    }
  }

  return found
}
