import {commaAfter, Edit, indentAt, lineEnd, lineStart, startsLine} from './splice.js'

/** A bracketed, comma-separated list in the source: object properties, import specifiers, array elements. */
export interface List {
  /** offset of the closing bracket */
  close: number
  items: Array<{end: number; start: number}>
  /** offset of the opening bracket */
  open: number
}

const isMultiLine = (source: string, list: List): boolean => source.slice(list.open, list.items.at(-1)!.start).includes('\n')

/**
 * Edits that append `text` as the last item, in the list's own style: on one line `{ a, b }`, or one
 * item per line with the last item's indentation, keeping a trailing comma if the list has one.
 * `removeItem` undoes exactly these edits, byte for byte.
 */
export function appendItem(source: string, list: List, text: string): Edit[] {
  const last = list.items.at(-1)
  if (!last) return [{end: list.close, start: list.open + 1, text: ` ${text} `}]
  if (!isMultiLine(source, list)) return [{end: last.end, start: last.end, text: `, ${text}`}]
  const indent = indentAt(source, last.start)
  const block = text.split('\n').join(`\n${indent}`)
  const comma = commaAfter(source, last.end)
  if (comma !== undefined) {
    const at = lineEnd(source, comma)
    return [{end: at, start: at, text: `\n${indent}${block},`}]
  }

  const at = lineEnd(source, last.end)
  return [
    {end: last.end, start: last.end, text: ','},
    {end: at, start: at, text: `\n${indent}${block}`},
  ]
}

/** Edits that remove item `index` and the separator and line it brings, the inverse of `appendItem`. */
export function removeItem(source: string, list: List, index: number): Edit[] {
  const item = list.items[index]
  const previous = list.items[index - 1]
  const next = list.items[index + 1]
  if (!previous && !next) return [{end: list.close, start: list.open + 1, text: ''}]
  const comma = commaAfter(source, item.end)
  const ownLine =
    isMultiLine(source, list) && startsLine(source, item.start) && source.slice(comma === undefined ? item.end : comma + 1, lineEnd(source, item.end)).trim().replace(/^\/\/.*$/, '') === ''
  if (ownLine) {
    const from = lineStart(source, item.start) - 1
    if (comma !== undefined) return [{end: lineEnd(source, comma), start: from, text: ''}]
    const previousComma = commaAfter(source, previous!.end)!
    return [
      {end: previousComma + 1, start: previousComma, text: ''},
      {end: lineEnd(source, item.end), start: from, text: ''},
    ]
  }

  if (previous) return [{end: item.end, start: previous.end, text: ''}]
  return [{end: next!.start, start: item.start, text: ''}]
}
