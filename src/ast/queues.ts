import type {ArrayExpression, VariableDeclarator} from '@babel/types'

import {quote, UserError} from '../errors.js'
import {appendItem, List, removeItem} from './list.js'
import {parseModule, walk} from './parse.js'
import {applyEdits, keepLineEndings} from './splice.js'

export const QUEUES_FILE = 'test/helpers/queues.ts'

function queuesArray(source: string): ArrayExpression {
  for (const node of walk(parseModule(source, QUEUES_FILE).program)) {
    const declarator = node as VariableDeclarator
    if (node.type === 'VariableDeclarator' && declarator.id.type === 'Identifier' && declarator.id.name === 'FUNCTION_QUEUES' && declarator.init?.type === 'ArrayExpression') {
      return declarator.init
    }
  }

  throw new UserError(`${quote(QUEUES_FILE)} has no "export const FUNCTION_QUEUES: string[] = [...]", which lists the queues tests poll. Restore it: export const FUNCTION_QUEUES: string[] = [];`)
}

const listed = (array: ArrayExpression): string[] => array.elements.map((element) => (element?.type === 'StringLiteral' ? element.value : ''))
const asList = (array: ArrayExpression): List => ({close: array.end! - 1, items: array.elements.map((element) => ({end: element!.end!, start: element!.start!})), open: array.start!})

/** Lists a function queue (once) for the tests' workers. */
function addQueueLf(source: string, queue: string): string {
  const array = queuesArray(source)
  return listed(array).includes(queue) ? source : applyEdits(source, appendItem(source, asList(array), JSON.stringify(queue)))
}

/** The inverse of addQueue. */
function removeQueueLf(source: string, queue: string): string {
  const array = queuesArray(source)
  const index = listed(array).indexOf(queue)
  return index === -1 ? source : applyEdits(source, removeItem(source, asList(array), index))
}

/** addQueue, in the file's own line endings (CRLF files get CRLF lines). */
export function addQueue(source: string, queue: string): string {
  return keepLineEndings(source, (text) => addQueueLf(text, queue))
}

/** removeQueue, in the file's own line endings (CRLF files get CRLF lines). */
export function removeQueue(source: string, queue: string): string {
  return keepLineEndings(source, (text) => removeQueueLf(text, queue))
}
