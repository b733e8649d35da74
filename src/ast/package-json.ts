import {parseExpression} from '@babel/parser'
import type {ObjectExpression, ObjectProperty} from '@babel/types'

import {quote, UserError} from '../errors.js'
import {appendItem, removeItem} from './list.js'
import {applyEdits} from './splice.js'

export const PACKAGE_JSON = 'package.json'

function scriptsObject(source: string): ObjectExpression {
  let root
  try {
    root = parseExpression(source, {})
  } catch (error) {
    throw new UserError(`${quote(PACKAGE_JSON)} is not valid JSON (${(error as Error).message}). Fix it, then run the command again; nothing was written.`)
  }

  const scripts = root.type === 'ObjectExpression' ? root.properties.find((entry): entry is ObjectProperty => entry.type === 'ObjectProperty' && entry.key.type === 'StringLiteral' && entry.key.value === 'scripts') : undefined
  if (scripts?.value.type !== 'ObjectExpression') {
    throw new UserError(`${quote(PACKAGE_JSON)} has no "scripts" object to add npm scripts to. Add "scripts": {} to it, then run the command again.`)
  }

  return scripts.value
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

/** Adds an npm script in the file's own layout; a script of that name that exists is left alone. */
export function addScript(source: string, name: string, command: string): string {
  const scripts = scriptsObject(source)
  if (entries(scripts).some((entry) => entry.name === name)) return source
  return applyEdits(source, appendItem(source, listOf(scripts), `${JSON.stringify(name)}: ${JSON.stringify(command)}`))
}

/** Removes the npm script `name` if it still runs `command` (a script the user changed stays). */
export function removeScript(source: string, name: string, command: string): string {
  const scripts = scriptsObject(source)
  const index = entries(scripts).findIndex((entry) => entry.name === name && entry.command === command)
  return index === -1 ? source : applyEdits(source, removeItem(source, listOf(scripts), index))
}
