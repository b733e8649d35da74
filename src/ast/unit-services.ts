import type {ArrayExpression, File} from '@babel/types'

import {quote, UserError} from '../errors.js'
import {appendItem, List, removeItem} from './list.js'
import {parseModule, span, walk} from './parse.js'
import {detectServices} from './service-paths.js'
import {findServices, Service, SERVICES_FILE} from './services.js'
import {applyEdits, indentAt, indentUnit, keepLineEndings} from './splice.js'

export type UnitKind = 'agent' | 'workflow'

const PATH_KEY: Record<UnitKind, string> = {agent: 'agentsPath', workflow: 'workflowsPath'}
const FOLDER: Record<UnitKind, string> = {agent: 'src/agents', workflow: 'src/workflows'}

/** The `Promise.all([...])` array that holds the services, where a new one goes. */
function servicesArray(ast: File, services: Service[]): ArrayExpression | undefined {
  for (const node of walk(ast.program)) {
    if (node.type === 'ArrayExpression' && node.elements.some((element) => services.some((service) => element === service.call))) return node
  }

  return undefined
}

const arrayList = (array: ArrayExpression): List => ({close: array.end! - 1, items: array.elements.filter((e) => e !== null).map((e) => span(e!)), open: array.start!})

/** The index of the service that runs the kind's folder on `queue`, or -1. */
function runningIndex(source: string, kind: UnitKind, queue: string, defaultQueue: string): number {
  return detectServices(source).findIndex((service) => (service.taskQueue ?? defaultQueue) === queue && service[PATH_KEY[kind] as 'agentsPath' | 'workflowsPath'] === FOLDER[kind])
}

const serviceText = (source: string, services: Service[], kind: UnitKind, queue: string, defaultQueue: string): string => {
  const callee = source.slice(services[0].call.callee.start!, services[0].call.callee.end!)
  const quoteChar = /require\.resolve\('/.test(source) ? "'" : '"'
  const inner = indentAt(source, services[0].options.properties[0]?.start ?? services[0].call.start!).slice(indentAt(source, services[0].call.start!).length) || indentUnit(source)
  return [
    `${callee}({`,
    `${inner}${PATH_KEY[kind]}: require.resolve(${quoteChar}./${kind}s${quoteChar}),`,
    ...(queue === defaultQueue && defaultQueue === 'restack' ? [] : [`${inner}taskQueue: ${quoteChar}${queue}${quoteChar},`]),
    '})',
  ].join('\n')
}

/**
 * Makes sure a startService runs the kind's folder (src/agents or src/workflows) on `queue`: a worker
 * there is what lets a unit scheduled on that queue run. Adds `client.startService({ workflowsPath,
 * taskQueue })` to the services' Promise.all when none does; otherwise the source comes back unchanged.
 */
export function ensureUnitService(source: string, kind: UnitKind, queue: string, defaultQueue: string, file = SERVICES_FILE): string {
  return keepLineEndings(source, (text) => {
    if (runningIndex(text, kind, queue, defaultQueue) !== -1) return text
    const ast = parseModule(text, file)
    const services = findServices(ast, defaultQueue)
    const array = services.length > 0 ? servicesArray(ast, services) : undefined
    if (!array) {
      throw new UserError(
        `${file} has no startService that runs ${FOLDER[kind]} on task queue ${quote(queue)}, and no Promise.all([...]) of startService calls to add one to. Add it by hand: client.startService({ ${PATH_KEY[kind]}: require.resolve("./${kind}s"), taskQueue: "${queue}" }), then run the command again with --skip to keep your file; nothing was written.`,
      )
    }

    return applyEdits(text, appendItem(text, arrayList(array), serviceText(text, services, kind, queue, defaultQueue)))
  })
}

/**
 * Who runs the kind's folder on `queue`: nobody, a service of the shape ensureUnitService adds
 * (the path and at most the queue), or a service of the user's (with functions or options).
 */
export function unitServiceOwner(source: string, kind: UnitKind, queue: string, defaultQueue: string, file = SERVICES_FILE): 'generated' | 'none' | 'user' {
  const index = runningIndex(source, kind, queue, defaultQueue)
  if (index === -1) return 'none'
  const service = findServices(parseModule(source, file), defaultQueue)[index]
  return generatedShape(service, kind) ? 'generated' : 'user'
}

const generatedShape = (service: Service, kind: UnitKind): boolean =>
  service.options.properties.every((entry) => entry.type === 'ObjectProperty' && entry.key.type === 'Identifier' && (entry.key.name === PATH_KEY[kind] || entry.key.name === 'taskQueue'))

/**
 * The inverse of ensureUnitService: removes the service that runs the kind's folder on `queue` when it
 * is exactly what ensureUnitService adds (the path and at most the queue: a service of the user's,
 * with functions or options, is never removed).
 */
export function removeUnitService(source: string, kind: UnitKind, queue: string, defaultQueue: string, file = SERVICES_FILE): string {
  return keepLineEndings(source, (text) => {
    const index = runningIndex(text, kind, queue, defaultQueue)
    if (index === -1) return text
    const ast = parseModule(text, file)
    const services = findServices(ast, defaultQueue)
    const service = services[index]
    if (!generatedShape(service, kind)) return text
    const array = servicesArray(ast, services)
    if (!array || array.elements.length < 2) return text
    return applyEdits(text, removeItem(text, arrayList(array), array.elements.indexOf(service.call)))
  })
}
