import {Flags} from '@oclif/core'

import {RestackCommand, writeFlags} from '../command.js'
import {InitResult, runInit} from '../generators/init/run.js'

export default class Init extends RestackCommand {
  static override description = `Run it in the root of a project started from Restack's TypeScript examples or boilerplate (a package.json and a src/services.ts calling client.startService). It writes restack.yaml with what it finds (task queues, agent and workflow folders of each startService call, the default queue, the runtime: restackio when package.json depends on @restackio/ai, else bundled) and records your existing files in .restack/ledger.json as yours, so that no restack command deletes or overwrites them as generated. Like "restack new" it also writes AGENTS.md and .mcp.json when the project has none (--no-agents-md, --no-mcp-json: do not). With runtime bundled and no src/restack/, it writes the bundled runtime there and adds the Temporal SDK packages it imports to package.json. Otherwise it changes nothing of yours.`

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --dry-run', '<%= config.bin %> <%= command.id %> --json']

  static override flags = {
    'agents-md': Flags.boolean({allowNo: true, default: true, description: 'write AGENTS.md, how a coding agent grows the project, unless the project has one (--no-agents-md: do not)'}),
    'dry-run': writeFlags['dry-run'],
    'mcp-json': Flags.boolean({allowNo: true, default: true, description: 'write .mcp.json, the MCP client configuration that starts "restack mcp", unless the project has one (--no-mcp-json: do not)'}),
    runtime: Flags.string({description: 'the runtime generated code imports (default: restackio when package.json depends on @restackio/ai, else bundled)', options: ['bundled', 'restackio']}),
    verbose: writeFlags.verbose,
  }

  static override summary = 'Adopt an existing Restack TypeScript project'

  async run(): Promise<InitResult> {
    const {flags} = await this.parse(Init)
    return runInit({agentsMd: flags['agents-md'], cwd: process.cwd(), dryRun: flags['dry-run'], mcpJson: flags['mcp-json'], runtime: flags.runtime as 'bundled' | 'restackio' | undefined}, this.reporter(flags.verbose))
  }
}
