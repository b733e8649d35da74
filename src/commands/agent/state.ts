import {Args, Flags} from '@oclif/core'

import {RestackCommand} from '../../command.js'
import {agentState, AgentStateResult} from '../../drive/agent.js'

export default class AgentState extends RestackCommand {
  static override args = {agentId: Args.string({description: 'the agent id ("restack run:agent" prints it)', required: true})}
  static override description = `Reads an agent's state (the query its defineMemory/handleMemory answers) through the project's own client and prints it. Without --name, the state the agent has among those the project's agents define.`
  static override examples = ['<%= config.bin %> <%= command.id %> 1700000000000-greeter', '<%= config.bin %> <%= command.id %> 1700000000000-support --name history --json']
  static override flags = {
    name: Flags.string({description: 'the state name (defineMemory("name")); default: the one the agent has'}),
    timeout: Flags.integer({default: 10, description: 'seconds to wait for a worker to answer', min: 1}),
  }

  static override summary = "Read an agent's state and print it"

  async run(): Promise<AgentStateResult> {
    const {args, flags} = await this.parse(AgentState)
    const result = await agentState({agentId: args.agentId, cwd: process.cwd(), name: flags.name, timeoutSeconds: flags.timeout})
    this.log(JSON.stringify(result.state, null, 2))
    return result
  }
}
