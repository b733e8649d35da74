import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {core} from './core.js'
import {serverNames, TOOLS_YAML} from './tools-yaml.js'

/**
 * Refreshes what Tab offers after `restack tools:call` (the servers of config/tools.yaml) and after
 * `restack tools:call <server>` (that server's tools, when the caller has just listed them).
 */
export function refreshCompletions(root: string, tools: Array<{name: string; tools: string[]}> = []): void {
  const file = join(root, TOOLS_YAML)
  const servers = existsSync(file) ? serverNames(readFileSync(file, 'utf8')) : []
  core.writeCompletions(root, 'tools:call', servers)
  for (const server of tools) core.writeCompletions(root, 'tools:call', server.tools, server.name)
}
