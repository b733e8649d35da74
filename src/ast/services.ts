import type {ArrayExpression, CallExpression, File, ImportDeclaration, ObjectExpression, ObjectProperty} from '@babel/types'

import {quote, UserError} from '../errors.js'
import {appendItem, List, removeItem} from './list.js'
import {parseModule, span, walk} from './parse.js'
import {applyEdits, Edit, indentAt, indentUnit, keepLineEndings, lineEnd} from './splice.js'

export const SERVICES_FILE = 'src/services.ts'
const FUNCTIONS_MODULE = './functions'

export interface FunctionRegistration {
  /** the project's default task queue (restack.yaml), where functions without their own queue go */
  defaultQueue: string
  maxConcurrent?: number
  name: string
  rateLimit?: number
  /** a dedicated queue: a service of its own on it is added when there is none */
  taskQueue?: string
}

/** One `startService({...})` call of services.ts, as registration sees it. */
export interface Service {
  call: CallExpression
  functions?: ObjectExpression
  /** function names registered in its `functions` object */
  names: string[]
  options: ObjectExpression
  taskQueue: string
}

const keyName = (property: ObjectExpression['properties'][number]): string | undefined => {
  if (property.type !== 'ObjectProperty' && property.type !== 'ObjectMethod') return undefined
  if (property.key.type === 'Identifier') return property.key.name
  if (property.key.type === 'StringLiteral') return property.key.value
  return undefined
}

const property = (object: ObjectExpression, name: string): ObjectProperty | undefined =>
  object.properties.find((candidate): candidate is ObjectProperty => candidate.type === 'ObjectProperty' && keyName(candidate) === name)

const listOf = (node: ArrayExpression | ImportDeclaration | ObjectExpression, source: string): List => {
  const items = (node.type === 'ObjectExpression' ? node.properties : node.type === 'ArrayExpression' ? node.elements : node.specifiers).filter(
    (item): item is NonNullable<typeof item> => item !== null,
  )
  if (node.type !== 'ImportDeclaration') return {close: node.end! - 1, items: items.map((item) => span(item)), open: node.start!}
  const open = source.indexOf('{', node.start!)
  return {close: source.indexOf('}', open), items: items.map((item) => span(item)), open}
}

/** Every `<x>.startService({...})` call, with its queue and registered functions. */
export function findServices(ast: File, defaultQueue: string): Service[] {
  const services: Service[] = []
  for (const node of walk(ast.program)) {
    if (node.type !== 'CallExpression' || node.callee.type !== 'MemberExpression') continue
    const {property: member} = node.callee
    if (member.type !== 'Identifier' || member.name !== 'startService') continue
    const [options] = node.arguments
    if (options?.type !== 'ObjectExpression') continue
    const queue = property(options, 'taskQueue')?.value
    const functions = property(options, 'functions')?.value
    const object = functions?.type === 'ObjectExpression' ? functions : undefined
    services.push({
      call: node,
      functions: object,
      names: object ? object.properties.map((entry) => keyName(entry)).filter((name): name is string => name !== undefined) : [],
      options,
      taskQueue: queue?.type === 'StringLiteral' ? queue.value : defaultQueue,
    })
  }

  return services
}

const functionsImport = (ast: File): ImportDeclaration | undefined =>
  ast.program.body.find(
    (statement): statement is ImportDeclaration =>
      statement.type === 'ImportDeclaration' && statement.source.value === FUNCTIONS_MODULE && statement.importKind !== 'type' && statement.specifiers.every((s) => s.type === 'ImportSpecifier'),
  )

const importedNames = (declaration: ImportDeclaration): string[] =>
  declaration.specifiers.map((specifier) => specifier.local.name)

function importEdits(source: string, ast: File, name: string): Edit[] {
  const declaration = functionsImport(ast)
  if (declaration) return importedNames(declaration).includes(name) ? [] : appendItem(source, listOf(declaration, source), name)
  const imports = ast.program.body.filter((statement) => statement.type === 'ImportDeclaration')
  const quoteChar = /from '/.test(source) ? "'" : '"'
  const line = `import { ${name} } from ${quoteChar}${FUNCTIONS_MODULE}${quoteChar};`
  if (imports.length === 0) return [{end: 0, start: 0, text: `${line}\n`}]
  const at = lineEnd(source, imports.at(-1)!.end!)
  return [{end: at, start: at, text: `\n${line}`}]
}

const manualHint = (registration: FunctionRegistration): string =>
  registration.taskQueue
    ? `client.startService({ taskQueue: "${registration.taskQueue}", functions: { ${registration.name} } }),`
    : `functions: { ${registration.name} },`

/** Where a new queue service goes: the array of the `Promise.all([...])` that holds the other services. */
function servicesArray(ast: File, services: Service[]): ArrayExpression | undefined {
  for (const node of walk(ast.program)) {
    if (node.type === 'ArrayExpression' && node.elements.some((element) => services.some((service) => element === service.call))) return node
  }

  return undefined
}

function queueServiceText(source: string, services: Service[], registration: FunctionRegistration): string {
  const callee = source.slice(services[0].call.callee.start!, services[0].call.callee.end!)
  const options = [
    ...(registration.rateLimit === undefined ? [] : [`rateLimit: ${registration.rateLimit}`]),
    ...(registration.maxConcurrent === undefined ? [] : [`maxConcurrentFunctionRuns: ${registration.maxConcurrent}`]),
  ]
  const quoteChar = /taskQueue: '/.test(source) ? "'" : '"'
  const inner = indentAt(source, services[0].options.properties[0]?.start ?? services[0].call.start!).slice(indentAt(source, services[0].call.start!).length) || indentUnit(source)
  return [
    `${callee}({`,
    `${inner}taskQueue: ${quoteChar}${registration.taskQueue}${quoteChar},`,
    `${inner}functions: { ${registration.name} },`,
    ...(options.length > 0 ? [`${inner}options: { ${options.join(', ')} },`] : []),
    '})',
  ].join('\n')
}

/** A numeric option of a service's `options` object, as written; undefined when absent. */
function limitOf(service: Service, name: string): number | undefined {
  const options = property(service.options, 'options')?.value
  const value = options?.type === 'ObjectExpression' ? property(options, name)?.value : undefined
  return value?.type === 'NumericLiteral' ? value.value : undefined
}

/**
 * Limits belong to a queue's service, which every function on the queue shares: asking for other
 * limits on a queue that has a service is refused with what it has, never ignored.
 */
function assertSameLimits(service: Service, registration: FunctionRegistration, file: string): void {
  const wanted = [
    ['--rate-limit', 'rateLimit', registration.rateLimit],
    ['--max-concurrent', 'maxConcurrentFunctionRuns', registration.maxConcurrent],
  ] as const
  const differing = wanted.filter(([, key, value]) => value !== undefined && limitOf(service, key) !== value)
  if (differing.length === 0) return
  const has = differing.map(([, key]) => `${key} ${limitOf(service, key) ?? 'unset'}`).join(' and ')
  const asked = differing.map(([flag, , value]) => `${flag} ${value}`).join(' ')
  throw new UserError(
    `Task queue ${quote(service.taskQueue)} already has a service in ${file} with ${has}, and ${asked} would change the limits of every function on it (${service.names.join(', ') || 'none yet'}). Change its "options" in ${file} by hand, or run the command again without ${differing.map(([flag]) => flag).join(' and ')}; nothing was written.`,
  )
}

/**
 * Registers a function in services.ts: imported from "./functions" and listed in the `functions`
 * object of the service on its queue (a new service is added for a new queue). Already registered:
 * the source comes back unchanged. Only the registration's own text is inserted.
 */
function registerFunctionLf(source: string, registration: FunctionRegistration, file = SERVICES_FILE): string {
  const ast = parseModule(source, file)
  const services = findServices(ast, registration.defaultQueue)
  const queue = registration.taskQueue ?? registration.defaultQueue
  const edits = importEdits(source, ast, registration.name)
  const elsewhere = services.find((service) => service.names.includes(registration.name) && service.taskQueue !== queue)
  if (elsewhere) {
    throw new UserError(
      `${quote(registration.name)} is already registered in ${file} on task queue ${quote(elsewhere.taskQueue)}, not ${quote(queue)}. Destroy it first ("restack destroy:function ${registration.name}") or move it by hand.`,
    )
  }

  const target = services.find((service) => service.taskQueue === queue && service.functions)
  if (target) assertSameLimits(target, registration, file)
  if (target) {
    if (!target.names.includes(registration.name)) edits.push(...appendItem(source, listOf(target.functions!, source), registration.name))
  } else if (registration.taskQueue && services.length > 0 && servicesArray(ast, services)) {
    edits.push(...appendItem(source, listOf(servicesArray(ast, services)!, source), queueServiceText(source, services, registration)))
  } else {
    throw new UserError(
      `${file} has no startService call with a "functions" object for task queue ${quote(queue)}, so ${quote(registration.name)} cannot be registered automatically. Add it by hand: ${manualHint(registration)} Then run the command again with --skip to keep your file.`,
    )
  }

  return applyEdits(source, edits)
}

/** Removes a function's registration (its `functions` entry, its import, and a queue service it leaves empty). */
function unregisterFunctionLf(source: string, name: string, defaultQueue: string, file = SERVICES_FILE): string {
  const ast = parseModule(source, file)
  const edits: Edit[] = []
  const services = findServices(ast, defaultQueue)
  for (const service of services) {
    const index = service.names.indexOf(name)
    if (index === -1) continue
    const onlyQueueService = service.names.length === 1 && service.options.properties.every((entry) => ['functions', 'options', 'taskQueue'].includes(keyName(entry) ?? ''))
    const array = servicesArray(ast, services)
    if (onlyQueueService && array && service.taskQueue !== defaultQueue) {
      edits.push(...removeItem(source, listOf(array, source), array.elements.indexOf(service.call)))
    } else {
      edits.push(...removeItem(source, listOf(service.functions!, source), index))
    }
  }

  const declaration = functionsImport(ast)
  const at = declaration ? importedNames(declaration).indexOf(name) : -1
  if (declaration && at !== -1) {
    if (declaration.specifiers.length === 1) {
      const start = source.lastIndexOf('\n', declaration.start! - 1)
      edits.push(start === -1 ? {end: lineEnd(source, declaration.end!) + 1, start: 0, text: ''} : {end: lineEnd(source, declaration.end!), start, text: ''})
    } else {
      edits.push(...removeItem(source, listOf(declaration, source), at))
    }
  }

  return applyEdits(source, edits)
}

/** The task queue each registered function runs on, read from services.ts. */
export function functionQueues(source: string, defaultQueue: string, file = SERVICES_FILE): Map<string, string> {
  const queues = new Map<string, string>()
  for (const service of findServices(parseModule(source, file), defaultQueue)) {
    for (const name of service.names) queues.set(name, service.taskQueue)
  }

  return queues
}

/** registerFunction, in the file's own line endings (CRLF files get CRLF lines). */
export function registerFunction(source: string, registration: FunctionRegistration, file = SERVICES_FILE): string {
  return keepLineEndings(source, (text) => registerFunctionLf(text, registration, file))
}

/** unregisterFunction, in the file's own line endings (CRLF files get CRLF lines). */
export function unregisterFunction(source: string, name: string, defaultQueue: string, file = SERVICES_FILE): string {
  return keepLineEndings(source, (text) => unregisterFunctionLf(text, name, defaultQueue, file))
}
