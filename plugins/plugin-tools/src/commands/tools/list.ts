import {core} from '../../core.js'
import {refreshCompletions} from '../../completions.js'
import {projectRoot, runInProject} from '../../project-run.js'

interface Listed {
  servers: Array<{lastError?: string; name: string; state: string; tools?: Array<{annotations?: Record<string, unknown>; description?: string; name: string}>; transport: string}>
}

export default class ToolsList extends core.RestackCommand {
  static override args = {}
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']
  static override summary = "Start the project's tool servers, list their tools, and stop them"

  async run(): Promise<Listed> {
    await this.parse(ToolsList)
    const root = projectRoot()
    const listed = await runInProject<Listed>(root, ['list'])
    refreshCompletions(root, listed.servers.map((server) => ({name: server.name, tools: (server.tools ?? []).map((tool) => tool.name)})))
    for (const server of listed.servers) {
      this.log(`${server.name} (${server.transport}): ${server.state}${server.lastError ? ` - ${server.lastError}` : ''}`)
      for (const tool of server.tools ?? []) {
        const hints = Object.entries(tool.annotations ?? {})
          .filter(([key, value]) => key.endsWith('Hint') && value === true)
          .map(([key]) => key.replace(/Hint$/, ''))
        this.log(`  ${tool.name}${tool.description ? `  ${tool.description}` : ''}${hints.length > 0 ? `  [${hints.join(', ')}]` : ''}`)
      }
    }

    return listed
  }
}
