import {Args, Flags} from '@oclif/core'

import {RestackCommand} from '../../command.js'
import {runAgent, RunAgentResult} from '../../drive/agent.js'

export default class RunAgent extends RestackCommand {
  static override args = {name: Args.string({description: 'the agent, any case: Greeter, agentSupport', required: true})}
  static override description = `Schedules an agent of the project through its own client (src/client.ts, with .env) and prints its agent id and run id; drive it on with "restack agent:event", "agent:state" and "agent:result". The engine must answer; the service ("restack run:server") runs it.`
  static override examples = [`<%= config.bin %> <%= command.id %> Greeter`, `<%= config.bin %> <%= command.id %> Support --input '{"history":[]}' --id support-1 --json`]
  static override flags = {
    id: Flags.string({description: 'the agent id (default: <timestamp>-<name>)'}),
    input: Flags.string({char: 'i', description: 'the input as JSON (default {})'}),
  }

  static override summary = 'Schedule an agent and print its agent id and run id'

  async run(): Promise<RunAgentResult> {
    const {args, flags} = await this.parse(RunAgent)
    const result = await runAgent({cwd: process.cwd(), id: flags.id, input: flags.input, name: args.name})
    this.log(JSON.stringify({agentId: result.agentId, runId: result.runId}))
    return result
  }
}
