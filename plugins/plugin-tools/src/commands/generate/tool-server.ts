import {Flags} from '@oclif/core'

import {refreshCompletions} from '../../completions.js'
import {core} from '../../core.js'
import {toolServerGenerator, Transport} from '../../generator.js'

export default class GenerateToolServer extends core.EntityCommand {
  static override args = {name: core.nameArg}
  static override description =
    'Writes src/tools/servers/<name>.ts (an MCP server on @modelcontextprotocol/sdk with safe sample tools), its test, a <name>Tool function registered in services.ts, and the server in config/tools.yaml; the first server also brings the manager, client and config loader in src/tools/.'
  static override enableJsonFlag = true
  static override examples = ['<%= config.bin %> <%= command.id %> Calc', '<%= config.bin %> <%= command.id %> Web --transport http --port 8931']
  static override flags = {
    ...core.generateFlags,
    port: Flags.integer({description: 'HTTP only: a fixed port on 127.0.0.1 (default: a free port the server announces to the manager)', max: 65_535, min: 1}),
    transport: Flags.string({default: 'stdio', description: 'stdio (a child process of the manager) or http (Streamable HTTP on 127.0.0.1)', options: ['stdio', 'http']}),
  }
  static override summary = 'Generate an MCP tool server, its config entry and a function that calls it'

  async run(): Promise<unknown> {
    const {args, flags} = await this.parse(GenerateToolServer)
    const result = await this.runEntity(toolServerGenerator, {name: args.name, port: flags.port, transport: flags.transport as Transport}, 'generate', flags)
    if (!result.dryRun) refreshCompletions(result.root)
    return result
  }
}
