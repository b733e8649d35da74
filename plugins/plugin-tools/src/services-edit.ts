// services.ts starts the tool manager with the service: `await startTools();` first thing in the
// services() function, and its import. Text spliced at the positions the parser reports, so the
// user's formatting and comments stay; adding twice is a no-op and removing is the exact inverse.
import {core} from './core.js'

const SERVICES = 'src/services.ts'
export const START_LINE = 'await startTools();'
export const IMPORT_LINE = 'import { startTools } from "./tools/client";'

interface Located {
  end: number
  start: number
  type: string
}

interface Statement extends Located {
  expression?: {argument?: {callee?: {name?: string}; type: string}; type: string}
}

function locate(source: string): {body?: Located & {body: Statement[]}; imports: Array<Located & {source: {value: string}; specifiers: Array<{local: {name: string}}>}>} {
  const ast = core.parseModule(source, SERVICES)
  const statements = ast.program.body as unknown as Array<Located & Record<string, unknown>>
  const imports = statements.filter((node) => node.type === 'ImportDeclaration') as unknown as ReturnType<typeof locate>['imports']
  const fn = statements.find((node) => node.type === 'FunctionDeclaration' && (node.id as {name?: string} | null)?.name === 'services') as
    | undefined
    | {body: Located & {body: Statement[]}}
  return {body: fn?.body, imports}
}

const isStart = (statement: Statement): boolean =>
  statement.type === 'ExpressionStatement' &&
  statement.expression?.type === 'AwaitExpression' &&
  statement.expression.argument?.type === 'CallExpression' &&
  statement.expression.argument.callee?.name === 'startTools'

export function addStartTools(source: string): string {
  const {body, imports} = locate(source)
  if (!body) {
    throw new core.UserError(
      `${SERVICES} has no "async function services()" to start the tool servers from, so it was not changed. Add these lines by hand: ${core.quote(IMPORT_LINE)} with the imports, and ${core.quote(START_LINE)} first in the function that starts your services; then run the command again with --skip.`,
    )
  }

  const edits: Array<{end: number; start: number; text: string}> = []
  if (!imports.some((node) => node.source.value === './tools/client' && node.specifiers.some((s) => s.local.name === 'startTools'))) {
    const last = imports.at(-1)
    edits.push(last ? {end: last.end, start: last.end, text: `\n${IMPORT_LINE}`} : {end: 0, start: 0, text: `${IMPORT_LINE}\n`})
  }

  if (!body.body.some(isStart)) {
    const first = body.body[0]
    const indent = first ? ' '.repeat(first.start - core.lineStart(source, first.start)) : '  '
    const at = body.start + 1
    edits.push({end: at, start: at, text: `\n${indent}// start the MCP tool servers of config/tools.yaml; stopped (whole process groups) on SIGINT/SIGTERM\n${indent}${START_LINE}`})
  }

  return edits.length === 0 ? source : core.applyEdits(source, edits)
}

export function removeStartTools(source: string): string {
  const {body, imports} = locate(source)
  const edits: Array<{end: number; start: number; text: string}> = []
  const imported = imports.find((node) => node.source.value === './tools/client' && node.specifiers.some((s) => s.local.name === 'startTools'))
  if (imported && imported.specifiers.length === 1) edits.push({end: imported.end, start: core.lineStart(source, imported.start) - 1, text: ''})
  const start = body?.body.find(isStart)
  if (start) {
    const lineStart = core.lineStart(source, start.start)
    const comment = source.lastIndexOf('// start the MCP tool servers', start.start)
    const from = comment !== -1 && comment > (body?.start ?? 0) ? core.lineStart(source, comment) : lineStart
    edits.push({end: start.end, start: from - 1, text: ''})
  }

  return edits.length === 0 ? source : core.applyEdits(source, edits)
}
