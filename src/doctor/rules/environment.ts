import type {Node} from '@babel/types'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join, relative} from 'node:path'

import {parseModule} from '../../ast/parse.js'
import {Finding, Rule} from '../rule.js'

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
}

/** Variables .env.example lists, set or commented out: documented there, so optional unless given a value. */
function documentedOptional(root: string): Set<string> {
  const file = join(root, '.env.example')
  if (!existsSync(file)) return new Set()
  return new Set([...readFileSync(file, 'utf8').matchAll(/^\s*#?\s*([A-Za-z_]\w*)\s*=\s*$/gm)].map((match) => match[1]))
}

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && typeof (value as Node).type === 'string'

/** Every node with its ancestors (nearest last), depth first. */
function* withAncestors(node: Node, ancestors: Node[] = []): Generator<[Node, Node[]]> {
  yield [node, ancestors]
  const below = [...ancestors, node]
  for (const [key, value] of Object.entries(node)) {
    if (key === 'loc' || key.endsWith('Comments')) continue
    for (const child of Array.isArray(value) ? value : [value]) if (isNode(child)) yield* withAncestors(child, below)
  }
}

const isProcessEnv = (node: Node): boolean =>
  (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') &&
  node.object.type === 'Identifier' &&
  node.object.name === 'process' &&
  !node.computed &&
  node.property.type === 'Identifier' &&
  node.property.name === 'env'

/** `process.env.NAME` or `process.env["NAME"]`: the variable's name, else undefined. */
function variableOf(node: Node): string | undefined {
  if ((node.type !== 'MemberExpression' && node.type !== 'OptionalMemberExpression') || !isProcessEnv(node.object)) return undefined
  if (!node.computed && node.property.type === 'Identifier') return node.property.name
  if (node.computed && node.property.type === 'StringLiteral') return node.property.value
  return undefined
}

/** Wrappers that pass a value through unchanged, for the question of how it is used. */
const TRANSPARENT = new Set(['ParenthesizedExpression', 'TSAsExpression', 'TSNonNullExpression', 'TSSatisfiesExpression', 'TSTypeAssertion'])

/**
 * Restack's connection variables: unset, its client talks to a local engine (Restack's examples read
 * them with "!" in client.ts and still run locally), so they are never required.
 */
const RESTACK_OPTIONAL = /^RESTACK_ENGINE_/

/** `process.env.NAME!`: the code asserts the variable is set, so an unset one is a warning, not an error. */
const asserted = (ancestors: Node[]): boolean => {
  for (let index = ancestors.length - 1; index >= 0 && TRANSPARENT.has(ancestors[index].type); index--) {
    if (ancestors[index].type === 'TSNonNullExpression') return true
  }

  return false
}

/**
 * How the code uses a read: `required` when an unset variable flows on as a value; `optional` when
 * the code copes with it unset (a `??`/`||` default, a comparison such as `=== "1"`, a test, `?.`);
 * `write` for an assignment or delete.
 */
function usage(node: Node, ancestors: Node[]): 'optional' | 'required' | 'write' {
  let child = node
  let index = ancestors.length - 1
  while (index >= 0 && TRANSPARENT.has(ancestors[index].type)) child = ancestors[index--]
  const parent = ancestors[index]
  if (!parent) return 'required'
  switch (parent.type) {
    case 'AssignmentExpression':
      return parent.left === child ? 'write' : 'required'
    case 'UnaryExpression':
      if (parent.operator === 'delete') return 'write'
      return parent.operator === '!' || parent.operator === 'typeof' ? 'optional' : 'required'
    case 'LogicalExpression':
      // NAME ?? default, NAME || default, NAME && use(NAME); as the fallback of something else it counts
      return parent.left === child ? 'optional' : usage(parent, ancestors.slice(0, index))
    case 'BinaryExpression':
      return ['!=', '!==', '==', '==='].includes(parent.operator) ? 'optional' : 'required'
    case 'ConditionalExpression':
    case 'IfStatement':
    case 'WhileStatement':
    case 'DoWhileStatement':
      return 'test' in parent && parent.test === child ? 'optional' : 'required'
    case 'OptionalMemberExpression':
    case 'OptionalCallExpression':
      return parent.optional && (parent.type === 'OptionalMemberExpression' ? parent.object : parent.callee) === child ? 'optional' : 'required'
    default:
      return 'required'
  }
}

/** The variables `source` reads as required values, each with the line of its first such read and whether it is read with "!". */
export function requiredReads(source: string, file: string): Map<string, {asserted: boolean; line: number}> {
  const required = new Map<string, {asserted: boolean; line: number}>()
  let ast
  try {
    ast = parseModule(source, file)
  } catch {
    return required // the sources rule reports a file that does not parse
  }

  for (const [node, ancestors] of withAncestors(ast.program)) {
    const name = variableOf(node)
    if (name === undefined || RESTACK_OPTIONAL.test(name) || required.has(name) || usage(node, ancestors) !== 'required') continue
    required.set(name, {asserted: asserted(ancestors), line: node.loc!.start.line})
  }

  return required
}

export const environmentRule: Rule = {
  description: 'the variables the code reads are set in the environment or .env',
  name: 'environment',
  needsProject: true,
  run({env, project}) {
    const root = project!.root
    const optional = documentedOptional(root)
    const required = new Map<string, {asserted: boolean; where: string}>()
    for (const file of sourceFiles(join(root, 'src'))) {
      for (const [name, {asserted, line}] of requiredReads(readFileSync(file, 'utf8'), relative(root, file))) {
        if (!optional.has(name) && !required.has(name)) required.set(name, {asserted, where: `${relative(root, file)}:${line}`})
      }
    }

    const findings: Finding[] = []
    for (const [name, {asserted, where}] of required) {
      if (env[name] !== undefined && env[name] !== '') continue
      findings.push({
        code: 'environment/missing-variable',
        fix: `Set ${name} in .env (or the environment); if it is optional, give it a fallback in the code (process.env.${name} ?? "...") or list it as "# ${name}=" in .env.example.`,
        message: `${name} is read at ${where}${asserted ? ' (with "!")' : ''} but is not set in the environment or .env.`,
        severity: asserted ? 'warn' : 'error',
      })
    }

    return findings
  },
}
