import type {File} from '@babel/types'

import {parseModule} from '../ast/parse.js'

/** Names a module exports as functions or constants: `export function x`, `export const x`, `export { x }`. */
export function exportedFunctions(ast: File): Set<string> {
  const names = new Set<string>()
  for (const statement of ast.program.body) {
    if (statement.type !== 'ExportNamedDeclaration') continue
    const {declaration} = statement
    if (declaration?.type === 'FunctionDeclaration' && declaration.id) names.add(declaration.id.name)
    if (declaration?.type === 'VariableDeclaration') for (const item of declaration.declarations) if (item.id.type === 'Identifier') names.add(item.id.name)
    for (const specifier of statement.specifiers) if (specifier.exported.type === 'Identifier') names.add(specifier.exported.name)
  }

  return names
}

/** The shape of the predicates restack writes: `repeat<Loop>` for a loop, `<step>Passed` for a conditional. */
const PREDICATE_NAME = /^(repeat[A-Z]\w*|[a-z]\w*Passed)$/

/** The predicates a compiled pipeline workflow calls (`predicates.<name>(`). */
export const calledPredicates = (workflow: string): Set<string> => new Set([...workflow.matchAll(/\bpredicates\.(\w+)\(/g)].map((match) => match[1]))

/**
 * Predicates the user's file still exports that the pipeline no longer calls (its expression lost
 * that loop or conditional). Regeneration never deletes the user's code, so these are reported, not
 * removed. Only names of the predicate shape count: a helper of the user's own is theirs.
 */
export function obsoletePredicates(source: string, file: string, called: Iterable<string>): string[] {
  let exported: Set<string>
  try {
    exported = exportedFunctions(parseModule(source, file))
  } catch {
    return [] // a file that does not parse is reported by the sources rule and by tsc
  }

  const calls = new Set(called)
  return [...exported].filter((name) => PREDICATE_NAME.test(name) && !calls.has(name))
}

/** One sentence on obsolete predicates, for a notice or a doctor finding. */
export const describeObsolete = (pipeline: string, file: string, names: string[]): string =>
  `${file} still exports ${names.join(', ')}, which the pipeline ${pipeline} no longer calls (its expression has no such loop or conditional any more)`
