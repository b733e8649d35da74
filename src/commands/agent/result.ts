import {Args, Flags} from '@oclif/core'

import {RestackCommand} from '../../command.js'
import {agentResult, AgentResultResult} from '../../drive/agent.js'

export default class AgentResult extends RestackCommand {
  static override args = {agentId: Args.string({description: 'the agent id ("restack run:agent" prints it)', required: true})}
  static override description = `Waits for an agent's result through the project's own client and prints it. An agent ends when it receives "end" ("restack agent:event <agentId> end").`
  static override examples = ['<%= config.bin %> <%= command.id %> 1700000000000-greeter', '<%= config.bin %> <%= command.id %> 1700000000000-greeter --timeout 5 --json']
  static override flags = {timeout: Flags.integer({default: 60, description: 'seconds to wait for the result', min: 1})}
  static override summary = "Wait for an agent's result and print it"

  async run(): Promise<AgentResultResult> {
    const {args, flags} = await this.parse(AgentResult)
    const result = await agentResult({agentId: args.agentId, cwd: process.cwd(), timeoutSeconds: flags.timeout})
    this.log(JSON.stringify(result.result, null, 2))
    return result
  }
}
