/** A text edit at offsets of the original source. */
export interface Edit {
  end: number
  start: number
  text: string
}

/**
 * Applies non-overlapping edits to `source`, each at offsets of the original text. Insertions at
 * one offset land in the order given.
 */
export function applyEdits(source: string, edits: Edit[]): string {
  let result = source
  const ordered = edits.map((edit, index) => ({edit, index})).sort((a, b) => b.edit.start - a.edit.start || b.index - a.index)
  for (const {edit} of ordered) {
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end)
  }

  return result
}

/** The offset just past whitespace and comments from `pos` (crossing newlines). */
export function skipTrivia(source: string, pos: number): number {
  let at = pos
  for (;;) {
    while (at < source.length && /\s/.test(source[at])) at++
    if (source.startsWith('//', at)) {
      const newline = source.indexOf('\n', at)
      at = newline === -1 ? source.length : newline
    } else if (source.startsWith('/*', at)) {
      const close = source.indexOf('*/', at + 2)
      at = close === -1 ? source.length : close + 2
    } else {
      return at
    }
  }
}

/** The offset of the comma that follows `pos` (past whitespace and comments), if one does. */
export function commaAfter(source: string, pos: number): number | undefined {
  const at = skipTrivia(source, pos)
  return source[at] === ',' ? at : undefined
}

export const lineStart = (source: string, pos: number): number => source.lastIndexOf('\n', pos - 1) + 1

export function lineEnd(source: string, pos: number): number {
  const newline = source.indexOf('\n', pos)
  return newline === -1 ? source.length : newline
}

/** The whitespace that begins the line holding `pos`. */
export const indentAt = (source: string, pos: number): string => /^[ \t]*/.exec(source.slice(lineStart(source, pos)))![0]

/** True when only whitespace stands between the start of the line and `pos`. */
export const startsLine = (source: string, pos: number): boolean => source.slice(lineStart(source, pos), pos).trim() === ''

/** True when every line of `source` ends with CRLF (and it has at least one line ending). */
const isCrlf = (source: string): boolean => source.includes('\r\n') && !/(^|[^\r])\n/.test(source)

/**
 * Runs an edit of a file's text with LF line endings and gives the result the file's own endings
 * back: in a file whose every line ends with CRLF, inserted lines end with CRLF too, and its other
 * bytes come back as they were. Files with LF (or mixed) endings are edited as they are.
 */
export function keepLineEndings(source: string, edit: (text: string) => string): string {
  if (!isCrlf(source)) return edit(source)
  return edit(source.replaceAll('\r\n', '\n')).replaceAll(/\r?\n/g, '\r\n')
}

/**
 * One level of indentation as the file writes it: a tab when its indented lines start with tabs,
 * else the smallest indentation in spaces it uses, else `fallback`.
 */
export function indentUnit(source: string, fallback = '  '): string {
  const indents = source.match(/^[ \t]+(?=\S)/gm) ?? []
  const tabs = indents.filter((indent) => indent.startsWith('\t')).length
  if (tabs > 0 && tabs >= indents.length - tabs) return '\t'
  const widths = indents.filter((indent) => !indent.includes('\t')).map((indent) => indent.length)
  return widths.length > 0 ? ' '.repeat(Math.min(...widths)) : fallback
}
