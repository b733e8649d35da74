import type {Expression, Node} from '@babel/types'

import {parseModule} from './parse.js'

/** `export async function x` or `export const x = async (...) =>` at the start of a line. */
const FAST_CALLABLE = /^export\s+(?:async\s+)?function\b|^export\s+const\s+\w+\s*=\s*(?:async\s+)?(?:\([^()]*\)|\w+)\s*(?::[^=\n]+)?=>/m

const FUNCTION_TYPES = new Set(['ArrowFunctionExpression', 'FunctionExpression'])

/** An initializer that is a function: `async () => {}`, `function () {}`, also behind `as`/`satisfies`. */
const isFunction = (node: Expression | Node | null | undefined): boolean => {
  if (!node) return false
  if (FUNCTION_TYPES.has(node.type)) return true
  if (node.type === 'TSAsExpression' || node.type === 'TSSatisfiesExpression' || node.type === 'TSNonNullExpression') return isFunction(node.expression)
  return false
}

/**
 * Whether a module exports something a worker could register: a function declaration, a const bound
 * to a function, a re-export (which cannot be told apart without following it) or a default export.
 * A module of zod schemas and types (Restack's examples keep one beside their functions) exports none.
 * A module that does not parse counts as exporting one: other checks report the syntax error.
 */
export function exportsCallable(source: string, file: string): boolean {
  // The usual shapes, without a parse (list and every generator ask this of each unit file).
  if (FAST_CALLABLE.test(source)) return true
  let body
  try {
    body = parseModule(source, file).program.body
  } catch {
    return true
  }

  return body.some((statement) => {
    if (statement.type === 'ExportDefaultDeclaration' || statement.type === 'ExportAllDeclaration') return true
    if (statement.type !== 'ExportNamedDeclaration' || statement.exportKind === 'type') return false
    if (statement.specifiers.some((specifier) => specifier.type !== 'ExportSpecifier' || specifier.exportKind !== 'type')) return true
    const {declaration} = statement
    if (declaration?.type === 'FunctionDeclaration') return true
    return declaration?.type === 'VariableDeclaration' && declaration.declarations.some((item) => isFunction(item.init))
  })
}
