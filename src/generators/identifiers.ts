import {quote, UserError} from '../errors.js'
import {EntityKind} from '../engine/entities.js'
import {Tree} from '../engine/tree.js'
import {parseModule} from '../ast/parse.js'
import {SERVICES_FILE} from '../ast/services.js'

/**
 * Which identifiers a unit's exported name must not be, because a file it is written into or imported
 * into already means something else by that name. Names the templates alias (a function's `log`)
 * are not here: they compile whatever the unit is called.
 *
 * - every kind: names CommonJS reserves at the top of a module;
 * - functions: what services.ts binds or uses besides the functions it imports (its client, its
 *   `services` function, `require`, `console`, `process`), and what the generated test declares
 *   around the import (`describe`, `it`, `expect`, `env`, `logger`, `error`);
 * - agents: the runtime's `agentContinueAsNew`, which the agent file imports.
 */
const COMMON = ['require', 'exports', 'module', '__dirname', '__filename']

const BY_KIND: Record<EntityKind, Record<string, string>> = {
  agent: {agentContinueAsNew: 'the runtime function every agent file imports from src/restack/agent'},
  function: {
    client: 'the Restack client src/services.ts imports from ./client',
    console: 'the global src/services.ts prints with',
    describe: "mocha's describe, which the function's test calls",
    env: 'the MockActivityEnvironment its test declares',
    error: 'a variable its test declares',
    expect: "chai's expect, which the function's test calls",
    it: "mocha's it, which the function's test calls",
    logger: 'the test logger its test imports',
    process: 'the global src/services.ts exits with',
    services: 'the function src/services.ts declares to start the services',
  },
  workflow: {},
}

/** Top-level bindings of services.ts that are not function imports: the user may have added their own. */
function servicesBindings(tree: Tree): string[] {
  const source = tree.read(SERVICES_FILE)
  if (source === undefined) return []
  const names: string[] = []
  for (const statement of parseModule(source, SERVICES_FILE).program.body) {
    if (statement.type === 'ImportDeclaration') {
      if (statement.source.value !== './functions') names.push(...statement.specifiers.map((specifier) => specifier.local.name))
    } else if ((statement.type === 'FunctionDeclaration' || statement.type === 'ClassDeclaration') && statement.id) {
      names.push(statement.id.name)
    } else if (statement.type === 'VariableDeclaration') {
      for (const declarator of statement.declarations) if (declarator.id.type === 'Identifier') names.push(declarator.id.name)
    }
  }

  return names
}

/** Why `exportName` cannot be the exported identifier of a new unit of `kind`, or undefined when it can. */
export function identifierClash(tree: Tree, kind: EntityKind, exportName: string): string | undefined {
  if (COMMON.includes(exportName)) return `${quote(exportName)} is a name CommonJS reserves at the top of every module`
  const known = Object.hasOwn(BY_KIND[kind], exportName) ? BY_KIND[kind][exportName] : undefined
  if (known) return `${quote(exportName)} is ${known}`
  if (kind === 'function' && servicesBindings(tree).includes(exportName)) {
    return `${quote(exportName)} is already declared in ${SERVICES_FILE}, which imports every function by its name`
  }

  return undefined
}

/** Refuses a clash in one paragraph that names it and a name that works. */
export function assertNoClash(tree: Tree, kind: EntityKind, input: string, exportName: string, suggest: (attempt: number) => {exportName: string; input: string}): void {
  const clash = identifierClash(tree, kind, exportName)
  if (!clash) return
  let attempt = 0
  let suggestion = suggest(attempt)
  while (identifierClash(tree, kind, suggestion.exportName) && attempt < 5) suggestion = suggest(++attempt)
  throw new UserError(
    `${quote(input)} cannot be ${kind === 'agent' ? 'an' : 'a'} ${kind}'s name: its exported identifier would be ${quote(exportName)}, and ${clash}, so the project would not compile. Choose another name, e.g. ${quote(suggestion.input)}.`,
  )
}
