import {isAbsolute} from 'node:path'

import semver from 'semver'
import {isMap, isScalar, Pair, parseDocument, Scalar, YAMLMap} from 'yaml'

import {quote, UserError} from '../errors.js'
import {applyEdits, Edit, keepLineEndings, lineStart} from '../ast/splice.js'
import {bestVersion, isAhead, isVersion} from './version.js'

/** The registry of prompts and their versions, in the generated project. */
export const REGISTRY_FILE = 'config/prompts.yaml'

/** Where prompt files live: `prompts/<name>/<version>.md`. */
export const PROMPTS_DIR = 'prompts'

export const promptFile = (name: string, version: string): string => `${PROMPTS_DIR}/${name}/${version}.md`

export interface RegistryEntry {
  /** the version `latest` loads, as written; undefined when the entry has none */
  latest?: string
  /** version -> file, relative to the project root, in the order the registry lists them */
  versions: Map<string, string>
}

/** prompt name -> entry, in the order the registry lists them */
export type Registry = Map<string, RegistryEntry>

type Range = [number, number, number]
const range = (node: unknown): Range => (node as {range: Range}).range

/** The nodes of one entry that edits need: its key, its map (block style) and the two keys in it. */
interface EntryNodes {
  key: Scalar
  /** undefined when the entry's value is empty (`summarize:` alone, or `{}`) */
  map?: YAMLMap
  pair: Pair
}

interface Located {
  entries: Map<string, EntryNodes>
  /** the `prompts` map, when it has entries */
  map?: YAMLMap
  /** the `prompts` key, when the file has one */
  pair?: Pair
  registry: Registry
}

/**
 * True when a registry path names a Markdown file inside prompts/: relative, no "..", no backslash
 * tricks. `g prompt` writes the file a registry entry names, so an entry must never reach
 * src/services.ts or any other file of the project.
 */
export function insidePrompts(file: string): boolean {
  if (file.includes('\\') || file.includes('\0') || isAbsolute(file) || /^[A-Za-z]:/.test(file)) return false
  const parts = file.split('/')
  if (parts.includes('..') || parts.includes('.') || parts.includes('')) return false
  return parts[0] === PROMPTS_DIR && parts.length >= 2 && file.endsWith('.md') && !file.endsWith('/.md')
}

const broken = (what: string): UserError => new UserError(`${REGISTRY_FILE}: ${what} Fix it, then run the command again; nothing was written.`)

/** True for `key:` with nothing after it and for `{}`: a value edits may replace wholesale. */
const isEmpty = (node: unknown): boolean => node === null || node === undefined || (isScalar(node) && (node.value === null || node.value === '')) || (isMap(node) && node.items.length === 0)

const keyOf = (pair: Pair): string => (isScalar(pair.key) ? String(pair.key.value) : String(pair.key))

function locate(text: string): Located {
  const doc = parseDocument(text)
  if (doc.errors.length > 0) throw broken(`it is not valid YAML: ${doc.errors[0].message.split('\n')[0]}.`)
  const located: Located = {entries: new Map(), registry: new Map()}
  if (isEmpty(doc.contents)) return located
  if (!isMap(doc.contents)) throw broken('the file must be a map with one key, "prompts".')
  located.pair = doc.contents.items.find((item) => keyOf(item) === 'prompts')
  const prompts = located.pair?.value
  if (isEmpty(prompts)) return located
  if (!isMap(prompts)) throw broken('"prompts" must map each prompt name to its versions and latest, e.g. "summarize: {latest: 1.0.0, versions: {1.0.0: prompts/summarize/1.0.0.md}}".')
  located.map = prompts
  for (const pair of prompts.items) {
    const name = keyOf(pair)
    const nodes: EntryNodes = {key: pair.key as Scalar, pair}
    const entry: RegistryEntry = {versions: new Map()}
    located.entries.set(name, nodes)
    located.registry.set(name, entry)
    if (isEmpty(pair.value)) continue
    if (!isMap(pair.value)) throw broken(`prompts.${name} must be a map with "latest" and "versions".`)
    nodes.map = pair.value
    for (const item of pair.value.items) {
      const key = keyOf(item)
      if (key === 'latest') {
        const latest = isScalar(item.value) && item.value.value !== null ? String(item.value.value) : undefined
        if (latest !== undefined && !isVersion(latest)) {
          throw broken(`prompts.${name}.latest is ${quote(latest)}, which is not a version: it names one of the prompt's versions, e.g. "latest: 1.0.0".`)
        }

        entry.latest = latest
      } else if (key === 'versions') {
        if (isEmpty(item.value)) continue
        if (!isMap(item.value)) throw broken(`prompts.${name}.versions must map each version to its file, e.g. "1.0.0: ${promptFile(name, '1.0.0')}".`)
        for (const version of item.value.items) {
          const number = keyOf(version)
          if (!isVersion(number)) {
            throw broken(`prompts.${name}.versions has the key ${quote(number)}, which is not a version: use MAJOR.MINOR.PATCH such as "1.0.0" (quote it if YAML reads it as a number).`)
          }

          const file = isScalar(version.value) && typeof version.value.value === 'string' ? version.value.value : undefined
          if (file === undefined || !insidePrompts(file)) {
            const was = file === undefined ? '' : ` is ${quote(file)}, which is not a .md file inside ${PROMPTS_DIR}/;`
            throw broken(`prompts.${name}.versions.${number}${was} it must be the path of the prompt's .md file inside ${PROMPTS_DIR}/, e.g. "${promptFile(name, number)}" (restack writes the file an entry names, so an entry may name no other file of the project).`)
          }

          entry.versions.set(number, file)
        }
      }
    }
  }

  return located
}

/** The registry's content. Throws a UserError naming the key when the file has the wrong shape. */
export const readRegistry = (text: string): Registry => locate(text).registry

/** The offset just past the newline that ends the line holding `pos` (or the end of the text). */
const pastLine = (text: string, pos: number): number => {
  const newline = text.indexOf('\n', pos)
  return newline === -1 ? text.length : newline + 1
}

/**
 * Where a node's content ends: past the newline of its last line that holds a value. Comments and
 * blank lines after it are outside, so text spliced here lands right after the content.
 */
function contentEnd(text: string, node: unknown, key?: unknown): number {
  if (isMap(node) && !node.flow && node.items.length > 0) {
    const last = node.items.at(-1)!
    return contentEnd(text, last.value, last.key)
  }

  if (isEmpty(node) && key !== undefined) return pastLine(text, range(key)[1])
  return pastLine(text, range(node)[1])
}

/** Edits go line by line, which a map written in flow style ({...}) does not allow. */
function block(map: YAMLMap): YAMLMap {
  if (map.flow) {
    throw new UserError(
      `${REGISTRY_FILE}: restack edits the registry line by line and cannot change a map written in flow style ({...}). Write it in block style, one "key: value" a line, then run the command again; nothing was written.`,
    )
  }

  return map
}

/**
 * Where to append to a block map whose content ends at `at`: past the comment lines right after it
 * that are indented deeper than the map's keys, which belong to its last entry.
 */
function appendAt(text: string, at: number, indent: string): number {
  let pos = at
  for (;;) {
    const line = text.slice(pos, pastLine(text, pos))
    const match = /^([ \t]*)#/.exec(line)
    if (!match || match[1].length <= indent.length) return pos
    pos += line.length
  }
}

const column = (text: string, node: unknown): number => range(node)[0] - lineStart(text, range(node)[0])

/** The block map's own indent and one step of indentation, from where its keys start. */
function indents(text: string, map: YAMLMap | undefined, parentKey: unknown, fallback: string): {indent: string; unit: number} {
  const parent = parentKey === undefined ? 0 : column(text, parentKey)
  if (!map) return {indent: ' '.repeat(parent + fallback.length), unit: fallback.length}
  block(map)
  const own = column(text, map.items[0].key)
  return {indent: ' '.repeat(own), unit: own - parent > 0 ? own - parent : fallback.length}
}

const entryText = (name: string, version: string, file: string, indent: string, unit: string): string =>
  `${indent}${name}:\n${indent}${unit}latest: ${version}\n${indent}${unit}versions:\n${indent}${unit}${unit}${version}: ${file}\n`

/**
 * Registers `version` of prompt `name` at `file`, spliced into the text at the positions yaml
 * reports: a new prompt goes after the last one, a new version before the first higher one (so the
 * list stays in semver order), and `latest` moves only forward (a release beats any prerelease,
 * otherwise higher wins). Everything else, comments included, stays byte for byte.
 * An already registered version leaves the text as it is.
 */
function addVersionLf(text: string, name: string, version: string, file: string): string {
  const located = locate(text)
  const nodes = located.entries.get(name)
  const {pair, map} = located
  if (!pair) return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}prompts:\n${entryText(name, version, file, '  ', '  ')}`
  if (!map) {
    const start = lineStart(text, range(pair.key)[0])
    const {indent, unit} = indents(text, undefined, pair.key, '  ')
    return applyEdits(text, [{end: contentEnd(text, pair.value, pair.key), start, text: `${text.slice(start, range(pair.key)[1])}:\n${entryText(name, version, file, indent, ' '.repeat(unit))}`}])
  }

  const top = indents(text, map, pair.key, '  ')
  if (!nodes) {
    const at = appendAt(text, contentEnd(text, map), top.indent)
    return applyEdits(text, [{end: at, start: at, text: entryText(name, version, file, top.indent, ' '.repeat(top.unit))}])
  }

  const entry = located.registry.get(name)!
  if (entry.versions.has(version)) return text
  const unit = ' '.repeat(top.unit)
  if (!nodes.map) {
    const start = lineStart(text, range(nodes.key)[0])
    return applyEdits(text, [{end: contentEnd(text, nodes.pair.value, nodes.key), start, text: entryText(name, version, file, top.indent, unit)}])
  }

  const inner = indents(text, nodes.map, nodes.key, unit)
  const edits: Edit[] = []
  const versionsPair = nodes.map.items.find((item) => keyOf(item) === 'versions')
  const line = (indent: string) => `${indent}${version}: ${file}\n`
  if (!versionsPair) {
    const at = appendAt(text, contentEnd(text, nodes.map), inner.indent)
    edits.push({end: at, start: at, text: `${inner.indent}versions:\n${line(inner.indent + ' '.repeat(inner.unit))}`})
  } else if (isEmpty(versionsPair.value)) {
    const start = lineStart(text, range(versionsPair.key)[0])
    edits.push({end: contentEnd(text, versionsPair.value, versionsPair.key), start, text: `${inner.indent}versions:\n${line(inner.indent + ' '.repeat(inner.unit))}`})
  } else {
    const versions = versionsPair.value as YAMLMap
    const {indent} = indents(text, versions, versionsPair.key, ' '.repeat(inner.unit))
    const higher = versions.items.find((item) => semver.gt(keyOf(item), version))
    const at = higher ? lineStart(text, range(higher.key)[0]) : appendAt(text, contentEnd(text, versions), indent)
    edits.push({end: at, start: at, text: line(indent)})
  }

  const latestPair = nodes.map.items.find((item) => keyOf(item) === 'latest')
  const next = entry.latest === undefined ? bestVersion([...entry.versions.keys(), version])! : isAhead(version, entry.latest) ? version : undefined
  // First in the list: an insertion of `latest` at the line the versions edit replaces lands before it.
  if (next !== undefined) edits.unshift(latestEdit(text, latestPair, nodes.map, inner.indent, next))
  return applyEdits(text, edits)
}

/** Sets `latest` to `version`: replaces the value in place (an inline comment stays), or adds the key first in the entry. */
function latestEdit(text: string, latestPair: Pair | undefined, entryMap: YAMLMap, indent: string, version: string): Edit {
  if (latestPair && !isEmpty(latestPair.value)) {
    const [start, end] = range(latestPair.value)
    return {end, start, text: version}
  }

  if (latestPair) {
    const start = lineStart(text, range(latestPair.key)[0])
    return {end: pastLine(text, range(latestPair.key)[1]), start, text: `${indent}latest: ${version}\n`}
  }

  const at = lineStart(text, range(entryMap.items[0].key)[0])
  return {end: at, start: at, text: `${indent}latest: ${version}\n`}
}

/**
 * The inverse of `addVersion`: removes `version` of prompt `name` (every version when none is
 * given). The last version takes its prompt with it, the last prompt the `prompts` key; `latest`,
 * when it named the removed version, moves back to the highest one left. Text registered by
 * `addVersion` goes byte for byte, so add then remove returns the original text.
 */
function removeVersionLf(text: string, name: string, version?: string): string {
  const located = locate(text)
  const nodes = located.entries.get(name)
  const entry = located.registry.get(name)
  if (!nodes || !entry || !located.map || !located.pair) return text
  if (version !== undefined && !entry.versions.has(version)) return text
  const remaining = [...entry.versions.keys()].filter((item) => item !== version)
  if (version === undefined || remaining.length === 0) {
    if (located.map.items.length === 1) {
      return applyEdits(text, [{end: contentEnd(text, located.map), start: lineStart(text, range(located.pair.key)[0]), text: ''}])
    }

    block(located.map)
    return applyEdits(text, [{end: contentEnd(text, nodes.pair.value, nodes.key), start: lineStart(text, range(nodes.key)[0]), text: ''}])
  }

  const versions = block(nodes.map!.items.find((item) => keyOf(item) === 'versions')!.value as YAMLMap)
  const pair = versions.items.find((item) => keyOf(item) === version)!
  const edits: Edit[] = [{end: contentEnd(text, pair.value, pair.key), start: lineStart(text, range(pair.key)[0]), text: ''}]
  if (entry.latest === version) {
    const latestPair = nodes.map!.items.find((item) => keyOf(item) === 'latest')
    const {indent} = indents(text, nodes.map, nodes.key, '  ')
    edits.push(latestEdit(text, latestPair, nodes.map!, indent, bestVersion(remaining)!))
  }

  return applyEdits(text, edits)
}

/** addVersion, in the file's own line endings (CRLF files get CRLF lines). */
export function addVersion(text: string, name: string, version: string, file: string): string {
  return keepLineEndings(text, (lf) => addVersionLf(lf, name, version, file))
}

/** removeVersion, in the file's own line endings (CRLF files get CRLF lines). */
export function removeVersion(text: string, name: string, version?: string): string {
  return keepLineEndings(text, (lf) => removeVersionLf(lf, name, version))
}
