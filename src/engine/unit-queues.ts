import {isMap, isScalar, parseDocument, YAMLMap} from 'yaml'

import {quote, UserError} from '../errors.js'
import {applyEdits, lineStart} from '../ast/splice.js'
import {CONFIG_FILE} from './project.js'

/** restack.yaml's `unitQueues`: the agents and workflows generated onto a task queue of their own ("agent:todo": todo-agents). */
export const UNIT_QUEUES_KEY = 'unitQueues'

function queuesMap(text: string): {doc: ReturnType<typeof parseDocument>; map?: YAMLMap} {
  const doc = parseDocument(text)
  if (doc.errors.length > 0) throw new UserError(`${CONFIG_FILE} is not valid YAML: ${doc.errors[0].message.split('\n')[0]}. Fix it, then run the command again; nothing was written.`)
  const node = doc.get(UNIT_QUEUES_KEY, true)
  if (node === undefined || node === null) return {doc}
  if (!isMap(node)) throw new UserError(`${CONFIG_FILE}: ${quote(UNIT_QUEUES_KEY)} must map units ("workflow:report") to their task queues; fix or remove it, then run the command again.`)
  return {doc, map: node}
}

/** Every unit on a queue of its own, with its queue. */
export function unitQueues(text: string): Map<string, string> {
  const {map} = queuesMap(text)
  return new Map((map?.items ?? []).filter((pair) => isScalar(pair.key) && isScalar(pair.value)).map((pair) => [String((pair.key as {value: unknown}).value), String((pair.value as {value: unknown}).value)]))
}

/** Adds `unitQueues.<unit>: <queue>` as a spliced line, so that removeUnitQueue is its exact inverse. */
export function setUnitQueue(text: string, unit: string, queue: string): string {
  const {map} = queuesMap(text)
  const line = (indent: string) => `${indent}${JSON.stringify(unit)}: ${queue}\n`
  if (!map) return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${UNIT_QUEUES_KEY}:\n${line('  ')}`
  if (unitQueues(text).get(unit) === queue) return text
  if (unitQueues(text).has(unit)) throw new UserError(`${CONFIG_FILE} already puts ${quote(unit)} on task queue ${quote(unitQueues(text).get(unit)!)}; destroy it first or edit ${UNIT_QUEUES_KEY} by hand.`)
  const first = map.items[0]?.key as {range?: [number, number, number]} | undefined
  const indent = first?.range ? ' '.repeat(first.range[0] - lineStart(text, first.range[0])) : '  '
  const at = map.range![2]
  return applyEdits(text, [{end: at, start: at, text: text[at - 1] === '\n' ? line(indent) : `\n${line(indent)}`}])
}

export function removeUnitQueue(text: string, unit: string): string {
  const {doc, map} = queuesMap(text)
  const pair = map?.items.find((item) => isScalar(item.key) && item.key.value === unit)
  if (!map || !pair) return text
  if (map.items.length === 1) {
    const key = (doc.contents as YAMLMap).items.find((item) => isScalar(item.key) && item.key.value === UNIT_QUEUES_KEY)!
    return applyEdits(text, [{end: map.range![2], start: lineStart(text, (key.key as {range: number[]}).range[0]), text: ''}])
  }

  return applyEdits(text, [{end: (pair.value as {range: number[]}).range[2], start: lineStart(text, (pair.key as {range: number[]}).range[0]), text: ''}])
}
