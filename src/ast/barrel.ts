import type {ExportAllDeclaration, Statement} from '@babel/types'

import {parseModule} from './parse.js'
import {applyEdits, keepLineEndings, lineEnd, lineStart} from './splice.js'

const isExportFrom = (statement: Statement, from: string): statement is ExportAllDeclaration =>
  statement.type === 'ExportAllDeclaration' && statement.source.value === from

const quoteLike = (source: string): string => (/export \* from '/.test(source) ? "'" : '"')

const semicolonLike = (source: string): string => (/export \* from ["'][^"']+["'](?!;)/.test(source) ? '' : ';')

/**
 * Adds `export * from "./<module>"` to a barrel after its last export, in the file's quote and
 * semicolon style. A barrel that already has it comes back unchanged.
 */
function addBarrelExportLf(source: string, file: string, module: string): string {
  const from = `./${module}`
  const {program} = parseModule(source, file)
  if (program.body.some((statement) => isExportFrom(statement, from))) return source
  const quote = quoteLike(source)
  const line = `export * from ${quote}${from}${quote}${semicolonLike(source)}`
  const exports = program.body.filter((statement) => statement.type === 'ExportAllDeclaration')
  const anchor = exports.at(-1)
  if (anchor) {
    const at = lineEnd(source, anchor.end!)
    return applyEdits(source, [{end: at, start: at, text: `\n${line}`}])
  }

  if (source === '' || source.endsWith('\n')) return `${source}${line}\n`
  return `${source}\n${line}`
}

/** Removes `export * from "./<module>"` and its line, the inverse of `addBarrelExport`. */
function removeBarrelExportLf(source: string, file: string, module: string): string {
  const {program} = parseModule(source, file)
  const statement = program.body.find((candidate) => isExportFrom(candidate, `./${module}`))
  if (!statement) return source
  const start = lineStart(source, statement.start!)
  const end = lineEnd(source, statement.end!)
  // Take the newline before the line when there is one, else the one after it.
  if (start > 0) return applyEdits(source, [{end, start: start - 1, text: ''}])
  return applyEdits(source, [{end: Math.min(end + 1, source.length), start, text: ''}])
}

/** The modules a barrel re-exports: `export * from "./x"` gives "x". */
export function barrelModules(source: string, file: string): string[] {
  return parseModule(source, file)
    .program.body.filter((statement): statement is ExportAllDeclaration => statement.type === 'ExportAllDeclaration')
    .map((statement) => statement.source.value.replace(/^\.\//, ''))
}

/** addBarrelExport, in the file's own line endings (CRLF files get CRLF lines). */
export function addBarrelExport(source: string, file: string, module: string): string {
  return keepLineEndings(source, (text) => addBarrelExportLf(text, file, module))
}

/** removeBarrelExport, in the file's own line endings (CRLF files get CRLF lines). */
export function removeBarrelExport(source: string, file: string, module: string): string {
  return keepLineEndings(source, (text) => removeBarrelExportLf(text, file, module))
}
