import {isMap, isScalar, parseDocument, YAMLMap} from 'yaml'

import {quote, UserError} from '../errors.js'
import {CONFIG_FILE} from '../engine/project.js'
import {applyEdits, lineStart} from '../ast/splice.js'

/** A pipeline as restack.yaml keeps it: `pipelines.<name>`. */
export interface PipelineEntry {
  /** per-loop maximum rounds, keyed by the loop as written: "IDEATE ⇄ RESEARCH" */
  loopMax?: Record<string, number>
  operators: string
  /** functions --scaffold-missing created for it, which destroy:pipeline removes with it */
  scaffolded?: string[]
}

function pipelinesMap(text: string): {doc: ReturnType<typeof parseDocument>; map?: YAMLMap} {
  const doc = parseDocument(text)
  if (doc.errors.length > 0) throw new UserError(`${CONFIG_FILE} is not valid YAML: ${doc.errors[0].message.split('\n')[0]}. Fix it, then run the command again; nothing was written.`)
  const node = doc.get('pipelines', true)
  if (node === undefined || node === null) return {doc}
  if (!isMap(node)) throw new UserError(`${CONFIG_FILE}: "pipelines" must be a map of pipeline names to {operators: "..."}; fix or remove it, then run the command again.`)
  return {doc, map: node}
}

export function readPipeline(text: string, name: string): PipelineEntry | undefined {
  const {map} = pipelinesMap(text)
  const value = map?.get(name)
  if (value === undefined) return undefined
  const entry = (isMap(value) ? value.toJSON() : value) as PipelineEntry
  if (typeof entry?.operators !== 'string') {
    throw new UserError(`${CONFIG_FILE}: pipelines.${name}.operators must be the operator expression as a string, e.g. operators: "A → B". Fix it, then run the command again.`)
  }

  return entry
}

/** The names restack.yaml lists under `pipelines`. */
export const pipelineNames = (text: string): string[] =>
  (pipelinesMap(text).map?.items ?? []).map((pair) => (isScalar(pair.key) ? String(pair.key.value) : '')).filter(Boolean)

const entryText = (name: string, entry: PipelineEntry, indent: string): string =>
  [
    `${indent}${name}:`,
    `${indent}${indent}operators: ${JSON.stringify(entry.operators)}`,
    ...(entry.loopMax && Object.keys(entry.loopMax).length > 0 ? [`${indent}${indent}loopMax: ${JSON.stringify(entry.loopMax)}`] : []),
    ...(entry.scaffolded && entry.scaffolded.length > 0 ? [`${indent}${indent}scaffolded: [${entry.scaffolded.join(', ')}]`] : []),
  ].join('\n') + '\n'

/**
 * Writes `pipelines.<name>` as text spliced at the positions yaml reports, so comments and layout
 * elsewhere stay byte for byte and `removePipeline` is the exact inverse.
 */
export function setPipeline(text: string, name: string, entry: PipelineEntry): string {
  const {map} = pipelinesMap(text)
  if (!map) return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}pipelines:\n${entryText(name, entry, '  ')}`
  const first = map.items[0]?.key as {range?: [number, number, number]} | undefined
  const indent = first?.range ? ' '.repeat(first.range[0] - lineStart(text, first.range[0])) : '  '
  const pair = map.items.find((item) => isScalar(item.key) && item.key.value === name)
  const next = entryText(name, {...readPipeline(text, name), ...entry}, indent)
  if (pair) {
    const start = lineStart(text, (pair.key as {range: number[]}).range[0])
    const end = (pair.value as {range: number[]}).range[2]
    return text.slice(start, end) === next ? text : applyEdits(text, [{end, start, text: next}])
  }

  const at = map.range![2]
  return applyEdits(text, [{end: at, start: at, text: text[at - 1] === '\n' ? next : `\n${next}`}])
}

export function removePipeline(text: string, name: string): string {
  const {doc, map} = pipelinesMap(text)
  const pair = map?.items.find((item) => isScalar(item.key) && item.key.value === name)
  if (!map || !pair) return text
  if (map.items.length === 1) {
    const key = (doc.contents as YAMLMap).items.find((item) => isScalar(item.key) && item.key.value === 'pipelines')!
    return applyEdits(text, [{end: map.range![2], start: lineStart(text, (key.key as {range: number[]}).range[0]), text: ''}])
  }

  return applyEdits(text, [{end: (pair.value as {range: number[]}).range[2], start: lineStart(text, (pair.key as {range: number[]}).range[0]), text: ''}])
}

export const unknownPipeline = (name: string): UserError =>
  new UserError(`There is no pipeline ${quote(name)} in ${CONFIG_FILE}: give the expression with --operators "A → B", e.g. restack g pipeline ${name} --operators "Fetch → Summarize".`)
