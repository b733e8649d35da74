import type {Node, StringLiteral} from '@babel/types'
import {posix} from 'node:path'

import {parseModule, walk} from '../ast/parse.js'
import {applyEdits, Edit} from '../ast/splice.js'
import {Tree} from '../engine/tree.js'
import {ENTRY_POINTS, RUNTIME_DIR} from './alias.js'

/** Where generated code gets Restack's API: the project's src/restack/, or the real @restackio/ai. */
export type Runtime = 'bundled' | 'restackio'

export interface SpecifierChange {
  from: string
  line: number
  to: string
}

export interface ImportRewrite {
  changes: SpecifierChange[]
  /** imports that reach the bundled runtime but have no @restackio/ai counterpart, left as they are */
  unmapped: SpecifierChange[]
  text: string
}

const TS_FILE = /\.(?:c|m)?tsx?$/

/** True for a TypeScript file the rewrite reads: not the bundled runtime itself, not node_modules. */
export const isRewritable = (path: string): boolean => TS_FILE.test(path) && !path.startsWith(`${RUNTIME_DIR}/`)

/** How `file` imports `target` (both relative to the project root), the way the templates write it: `../restack/agent`. */
function relativeSpecifier(file: string, target: string): string {
  const relative = posix.relative(posix.dirname(file), target)
  return relative.startsWith('.') ? relative : `./${relative}`
}

/** The bundled runtime's module for an entry point: `src/restack` for the package itself. */
const runtimeTarget = (module: string): string => (module === 'index' ? RUNTIME_DIR : `${RUNTIME_DIR}/${module}`)

/** The module specifier literals of a file: import and export declarations, `import x = require()`, `require()`, `import()` and `import("x").T`. */
function specifierLiterals(source: string, file: string): StringLiteral[] {
  const found: StringLiteral[] = []
  const add = (node: Node | null | undefined) => {
    if (node?.type === 'StringLiteral') found.push(node)
  }

  for (const node of walk(parseModule(source, file).program)) {
    switch (node.type) {
      case 'ImportDeclaration':
      case 'ExportAllDeclaration':
      case 'ExportNamedDeclaration': {
        add(node.source)
        break
      }

      case 'TSExternalModuleReference': {
        add(node.expression)
        break
      }

      case 'CallExpression': {
        // import("x"), and require("x") (CommonJS in a .ts file, or a .cts one)
        if (node.callee.type === 'Import' || (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments.length === 1)) add(node.arguments[0])
        break
      }

      case 'TSImportType': {
        const argument = node.argument as Node
        add(argument.type === 'TSLiteralType' ? (argument.literal as Node) : argument)
        break
      }
    }
  }

  return found
}

/**
 * Rewrites the specifiers of `source` (the file at `file`, relative to the project root) that name
 * Restack's API for `to`: `../restack/agent` <-> `@restackio/ai/agent`, `./restack` <-> `@restackio/ai`.
 * Only the text between the quotes of those specifiers changes; every other byte stays. Only the
 * form the templates write is mapped (`../restack/agent`, not `../restack/agent.js` or
 * `../restack/index`), so that a switch there and back gives the same bytes; the rest are reported.
 */
export function rewriteImports(source: string, file: string, to: Runtime): ImportRewrite {
  const changes: SpecifierChange[] = []
  const unmapped: SpecifierChange[] = []
  const edits: Edit[] = []
  for (const literal of specifierLiterals(source, file)) {
    const from = literal.value
    const line = literal.loc?.start.line ?? 0
    let next: string | undefined
    if (to === 'restackio' && from.startsWith('.')) {
      const target = posix.normalize(posix.join(posix.dirname(file), from))
      if (target !== RUNTIME_DIR && !target.startsWith(`${RUNTIME_DIR}/`)) continue
      const entry = ENTRY_POINTS.find(({module}) => runtimeTarget(module) === target && relativeSpecifier(file, target) === from)
      if (entry) next = entry.specifier
      else unmapped.push({from, line, to: from})
    } else if (to === 'bundled' && (from === '@restackio/ai' || from.startsWith('@restackio/ai/'))) {
      const entry = ENTRY_POINTS.find(({specifier}) => specifier === from)
      if (entry) next = relativeSpecifier(file, runtimeTarget(entry.module))
      else unmapped.push({from, line, to: from})
    }

    if (next === undefined || next === from) continue
    changes.push({from, line, to: next})
    // between the quotes: the quote style and everything around stays
    edits.push({end: literal.end! - 1, start: literal.start! + 1, text: next})
  }

  return {changes, text: edits.length === 0 ? source : applyEdits(source, edits), unmapped}
}

/**
 * Gives the TypeScript files a run creates the imports of `runtime`: templates are written for the
 * bundled runtime, and a `restackio` project gets the same files with @restackio/ai's specifiers.
 * Files the run only updates (registrations in the user's files) keep their imports.
 */
export function emitFor(tree: Tree, runtime: Runtime): void {
  if (runtime === 'bundled') return
  for (const change of tree.changes()) {
    if (change.intent !== 'create' || change.content === undefined || !isRewritable(change.path)) continue
    const {text} = rewriteImports(change.content, change.path, runtime)
    if (text !== change.content) tree.create(change.path, text, change.template)
  }
}
