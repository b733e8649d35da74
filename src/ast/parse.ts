import {parse} from '@babel/parser'
import type {File, Node} from '@babel/types'

import {quote, UserError} from '../errors.js'

/**
 * The trees parsed so far in this process, by source text (one map for .ts, one for .tsx): a generator
 * looks at services.ts or a barrel from several places (queues, registrations, names), and parsing is most
 * of what that costs. Trees are only ever read (edits are text splices), so one tree can serve them all.
 */
const parsed = {jsx: new Map<string, File>(), ts: new Map<string, File>()}
const PARSED_LIMIT = 256

/** Parses TypeScript (or JSON, as an expression file) with positions; a syntax error names the file and the spot. The tree must not be changed. */
export function parseModule(source: string, file: string): File {
  // JSX only in .tsx: in a .ts file `<T>value` is a type assertion, not an element
  const jsx = file.endsWith('.tsx')
  const seen = jsx ? parsed.jsx : parsed.ts
  const known = seen.get(source)
  if (known) return known
  try {
    const tree = parse(source, {errorRecovery: false, plugins: jsx ? ['typescript', 'jsx'] : ['typescript'], sourceType: 'module'})
    if (seen.size >= PARSED_LIMIT) seen.clear()
    seen.set(source, tree)
    return tree
  } catch (error) {
    const {loc, message} = error as {loc?: {column: number; line: number}; message: string}
    const where = loc ? ` at line ${loc.line}, column ${loc.column + 1}` : ''
    throw new UserError(
      `${quote(file)} does not parse${where}: ${message.replace(/\s*\(\d+:\d+\)$/, '').replace(/\.$/, '')}. Fix the syntax error (or restore the file from version control), then run the command again; nothing was written.`,
    )
  }
}

/** Every node below `root`, depth first, in source order. */
export function* walk(root: Node): Generator<Node> {
  yield root
  for (const [key, value] of Object.entries(root)) {
    if (key === 'loc' || key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments') continue
    if (Array.isArray(value)) {
      for (const child of value) if (isNode(child)) yield* walk(child)
    } else if (isNode(value)) {
      yield* walk(value)
    }
  }
}

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && typeof (value as Node).type === 'string'

/** Start and end offsets of a node: babel always sets them when parsing. */
export const span = (node: Node): {end: number; start: number} => ({end: node.end!, start: node.start!})
