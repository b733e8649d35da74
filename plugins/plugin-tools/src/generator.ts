import {createHash} from 'node:crypto'
import {fileURLToPath} from 'node:url'

import {core} from './core.js'
import type {Core} from './core.js'
import {addStartTools, removeStartTools} from './services-edit.js'
import {addServer, putServer, removeServer, serverNames, TOOLS_YAML, TOOLS_YAML_HEADER} from './tools-yaml.js'

/** The plugin's own templates (templates/tool-server/...). */
export const TEMPLATES_DIR = fileURLToPath(new URL('../templates/', import.meta.url))

/** The SDK version generated projects pin (checked against the registry; zod ^3.25 or ^4 both work). */
export const MCP_SDK_VERSION = '1.32.2'
export const ZOD_VERSION = '^4.6.7'

export type Transport = 'http' | 'stdio'

export interface ToolServerOptions {
  name: string
  port?: number
  transport?: Transport
}

/** A port derived from the name, so two generated HTTP servers rarely collide; --port overrides. */
export const defaultPort = (name: string): number => 20_000 + (createHash('sha256').update(name).digest().readUInt16BE(0) % 10_000)

const SHARED = [
  ['tool-server/shared/arithmetic.ts.hbs', 'src/tools/arithmetic.ts'],
  ['tool-server/shared/stdio-guard.ts.hbs', 'src/tools/stdio-guard.ts'],
  ['tool-server/shared/config.ts.hbs', 'src/tools/config.ts'],
  ['tool-server/shared/manager.ts.hbs', 'src/tools/manager.ts'],
  ['tool-server/shared/client.ts.hbs', 'src/tools/client.ts'],
  ['tool-server/test/manager.test.ts.hbs', 'test/tools/manager.test.ts'],
] as const

export const toolServerGenerator: Core.EntityGenerator<ToolServerOptions> = {
  kind: 'tool-server',
  // Running it again for a server that exists: the same output is `identical`, other output (another
  // --transport or --port, or an edited file) a conflict that says what would change (--force, --skip).
  rerunChecked: true,
  prepare(project, tree, options, mode) {
    const names = core.toNames(options.name, 'tool server name')
    const text = tree.read(TOOLS_YAML)
    const existing = text === undefined ? [] : serverNames(text)
    const transport: Transport = options.transport ?? 'stdio'
    if (options.port !== undefined && transport !== 'http') {
      throw new core.UserError(`--port ${options.port} is for HTTP servers, and ${core.quote(names.camel)} is a stdio server. Add --transport http, or drop --port.`)
    }

    const serverFile = `src/tools/servers/${names.camel}.ts`
    if (mode === 'destroy' && !existing.includes(names.camel) && !tree.exists(serverFile)) {
      throw new core.UserError(`There is no tool server ${core.quote(names.camel)} to destroy: it is neither in ${TOOLS_YAML} nor at ${serverFile}. Known: ${existing.join(', ') || 'none'}.`)
    }

    // The function that calls this server's tools from agents and workflows: <name>Tool.
    const functionNames = core.namesFor(project, tree, 'function', `${options.name} tool`, mode)
    // Without --port the manager starts the server on a free port (no collision between projects);
    // the default port is only for running the server by hand.
    const port = transport === 'http' ? options.port : undefined
    // config/tools.yaml: spliced text, so the user's comments stay byte for byte. A server that is
    // there already gets its entry as this run generates it: any change to it is a conflict (redefined).
    if (mode === 'generate') {
      if (text === undefined) tree.create(TOOLS_YAML, addServer(TOOLS_YAML_HEADER, {name: names.camel, port, transport}))
      else tree.update(TOOLS_YAML, putServer(text, {name: names.camel, port, transport}))
    } else if (text !== undefined) {
      const rest = existing.filter((name) => name !== names.camel)
      // The file goes with the last server when it is byte for byte the one generated (the ledger's
      // hash); otherwise it stays, emptied, rather than asking for --force.
      const recorded = core.readLedger(tree).files[TOOLS_YAML]?.sha256
      const unchanged = recorded === createHash('sha256').update(text).digest('hex')
      if (rest.length === 0 && removeServer(text, names.camel) === TOOLS_YAML_HEADER && unchanged) tree.delete(TOOLS_YAML)
      else tree.update(TOOLS_YAML, removeServer(text, names.camel))
    }

    // The shared runtime (manager, client, config, parser) comes with the first server and goes with
    // the last; so does the manager's start in services.ts.
    const first = mode === 'generate' ? !tree.exists('src/tools/manager.ts') : existing.filter((name) => name !== names.camel).length === 0
    const services = tree.read(core.SERVICES_FILE)
    if (first && services !== undefined) {
      const next = mode === 'generate' ? addStartTools(services) : removeStartTools(services)
      if (next !== services) {
        core.parseModule(next, core.SERVICES_FILE)
        tree.update(core.SERVICES_FILE, next)
      }
    }

    const isHttp = transport === 'http' || (mode === 'destroy' && tree.read(serverFile)?.includes('StreamableHTTPServerTransport') === true)
    const declarations: Core.Declaration[] = [
      ...(first ? SHARED.map(([template, path]) => ({path, template, templatesDir: TEMPLATES_DIR, type: 'template' as const})) : []),
      {path: serverFile, template: isHttp ? 'tool-server/server/http.ts.hbs' : 'tool-server/server/stdio.ts.hbs', templatesDir: TEMPLATES_DIR, type: 'template'},
      {path: `test/tools/${names.camel}.test.ts`, template: 'tool-server/test/server.test.ts.hbs', templatesDir: TEMPLATES_DIR, type: 'template'},
      {path: functionNames.file, template: 'tool-server/server/function.ts.hbs', templatesDir: TEMPLATES_DIR, type: 'template'},
      {barrel: core.barrelOf('function'), module: functionNames.camel, type: 'barrel'},
      {registration: {defaultQueue: project.config.defaults.taskQueue, name: functionNames.camel}, type: 'function'},
      ...(first
        ? [
            {name: '@modelcontextprotocol/sdk', type: 'dependency' as const, version: MCP_SDK_VERSION},
            {name: 'zod', type: 'dependency' as const, version: ZOD_VERSION},
          ]
        : []),
    ]
    return {
      context: {functionNames, http: isHttp, names, port: port ?? defaultPort(names.camel), transport: isHttp ? 'http' : 'stdio'},
      declarations,
      kind: 'tool-server',
      names: {...names, exportName: functionNames.camel, file: serverFile},
      redefined: mode === 'generate' && existing.includes(names.camel) ? [TOOLS_YAML] : [],
    }
  },
}
