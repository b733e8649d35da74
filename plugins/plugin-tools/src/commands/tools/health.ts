import {Args} from '@oclif/core'

import {core} from '../../core.js'
import {refreshCompletions} from '../../completions.js'
import {projectRoot, runInProject} from '../../project-run.js'

interface Health {
  servers: Array<{lastError?: string; ms: number; name: string; pid?: number; state: string; tools: string[]; transport: string}>
}

export default class ToolsHealth extends core.RestackCommand {
  static override args = {server: Args.string({description: 'only this server (default: all)'})}
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> calc --json']
  static override summary = 'Start each tool server, check it answers initialize + tools/list within its start timeout, and stop it'

  async run(): Promise<Health> {
    const {args} = await this.parse(ToolsHealth)
    const root = projectRoot()
    const health = await runInProject<Health>(root, ['health', ...(args.server ? [args.server] : [])])
    refreshCompletions(root, health.servers.filter((server) => server.state === 'ready'))
    for (const server of health.servers) {
      const ready = server.state === 'ready'
      this.log(`${server.name} (${server.transport}): ${ready ? `ready in ${server.ms} ms, ${server.tools.length} tools` : `NOT READY (${server.state})${server.lastError ? `: ${server.lastError}` : ''}`}`)
    }

    if (health.servers.some((server) => server.state !== 'ready')) process.exitCode = 1
    return health
  }
}
