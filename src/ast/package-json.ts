import {parseExpression} from '@babel/parser'
import type {ObjectExpression, ObjectProperty} from '@babel/types'

import {quote, UserError} from '../errors.js'
import {appendItem, removeItem} from './list.js'
import {applyEdits, keepLineEndings} from './splice.js'

export const PACKAGE_JSON = 'package.json'

type Section = 'dependencies' | 'devDependencies' | 'scripts'

function sectionObject(source: string, section: Section): ObjectExpression | undefined {
  let root
  try {
    root = parseExpression(source, {})
  } catch (error) {
    throw new UserError(`${quote(PACKAGE_JSON)} is not valid JSON (${(error as Error).message}). Fix it, then run the command again; nothing was written.`)
  }

  const found = root.type === 'ObjectExpression' ? root.properties.find((entry): entry is ObjectProperty => entry.type === 'ObjectProperty' && entry.key.type === 'StringLiteral' && entry.key.value === section) : undefined
  return found?.value.type === 'ObjectExpression' ? found.value : undefined
}

function scriptsObject(source: string, section: Section = 'scripts'): ObjectExpression {
  const object = sectionObject(source, section)
  if (!object) throw new UserError(`${quote(PACKAGE_JSON)} has no "${section}" object to add to. Add "${section}": {} to it, then run the command again.`)
  return object
}

const entries = (scripts: ObjectExpression) =>
  scripts.properties.map((entry) => {
    const property = entry as ObjectProperty
    return {
      command: property.value.type === 'StringLiteral' ? property.value.value : undefined,
      name: property.key.type === 'StringLiteral' ? property.key.value : undefined,
    }
  })

const listOf = (scripts: ObjectExpression) => ({close: scripts.end! - 1, items: scripts.properties.map((p) => ({end: p.end!, start: p.start!})), open: scripts.start!})

/** Adds an entry to a package.json section in the file's own layout; an entry of that name that exists is left alone. */
function addEntryLf(source: string, section: Section, name: string, value: string): string {
  const object = scriptsObject(source, section)
  if (entries(object).some((entry) => entry.name === name)) return source
  return applyEdits(source, appendItem(source, listOf(object), `${JSON.stringify(name)}: ${JSON.stringify(value)}`))
}

/** Removes entry `name` if it still has `value` (an entry the user changed stays). */
function removeEntryLf(source: string, section: Section, name: string, value: string): string {
  const object = sectionObject(source, section)
  const index = object ? entries(object).findIndex((entry) => entry.name === name && entry.command === value) : -1
  return index === -1 ? source : applyEdits(source, removeItem(source, listOf(object!), index))
}

/** Adds an npm script; a script of that name that exists is left alone. */
export const addScript = (source: string, name: string, command: string): string => addEntry(source, 'scripts', name, command)

/** Removes the npm script `name` if it still runs `command` (a script the user changed stays). */
export const removeScript = (source: string, name: string, command: string): string => removeEntry(source, 'scripts', name, command)

/** Adds a dependency (or devDependency) at `version`; one already declared is left alone. */
export const addDependency = (source: string, name: string, version: string, dev = false): string =>
  addEntry(source, dev ? 'devDependencies' : 'dependencies', name, version)

/** Removes a dependency declared at exactly `version` (one the user changed stays). */
export const removeDependency = (source: string, name: string, version: string, dev = false): string =>
  removeEntry(source, dev ? 'devDependencies' : 'dependencies', name, version)

/** addEntry, in the file's own line endings (CRLF files get CRLF lines). */
export function addEntry(source: string, section: Section, name: string, value: string): string {
  return keepLineEndings(source, (text) => addEntryLf(text, section, name, value))
}

/** removeEntry, in the file's own line endings (CRLF files get CRLF lines). */
export function removeEntry(source: string, section: Section, name: string, value: string): string {
  return keepLineEndings(source, (text) => removeEntryLf(text, section, name, value))
}

function rootList(source: string) {
  const root = parseExpression(source, {})
  if (root.type !== 'ObjectExpression') throw new UserError(`${quote(PACKAGE_JSON)} is not a JSON object. Fix it, then run the command again; nothing was written.`)
  return {list: listOf(root), root}
}

/** Whether package.json has the section as an object. */
export const hasSection = (source: string, section: Section): boolean => sectionObject(source, section) !== undefined

/** Adds an empty section ("devDependencies": {}) at the end of package.json, in its own layout; one that exists is left alone. */
export function addSection(source: string, section: Section): string {
  return keepLineEndings(source, (text) => (hasSection(text, section) ? text : applyEdits(text, appendItem(text, rootList(text).list, `${JSON.stringify(section)}: {}`))))
}

/** Removes a section that is empty (the inverse of addSection); one with entries stays. */
export function removeEmptySection(source: string, section: Section): string {
  return keepLineEndings(source, (text) => {
    const object = sectionObject(text, section)
    if (!object || object.properties.length > 0) return text
    const {list, root} = rootList(text)
    const index = root.properties.findIndex((entry) => entry.type === 'ObjectProperty' && entry.key.type === 'StringLiteral' && entry.key.value === section)
    return applyEdits(text, removeItem(text, list, index))
  })
}
