import {Args, Flags} from '@oclif/core'

import {RestackCommand} from '../../command.js'
import {AgentEventResult, sendAgentEvent} from '../../drive/agent.js'

export default class AgentEvent extends RestackCommand {
  static override args = {
    agentId: Args.string({description: 'the agent id ("restack run:agent" prints it)', required: true}),
    event: Args.string({description: 'the event name, exactly as the agent defines it: greet, user-feedback, end', required: true}),
  }

  static override description = `Sends an agent an event through the project's own client and prints what the event's handler returned. Waits up to --timeout seconds for a worker to take the event, then says which task queue has no worker.`
  static override examples = [`<%= config.bin %> <%= command.id %> 1700000000000-greeter greet --input '{"name":"Ada"}'`, '<%= config.bin %> <%= command.id %> 1700000000000-greeter end --json']
  static override flags = {
    input: Flags.string({char: 'i', description: 'the event input as JSON (default: none)'}),
    timeout: Flags.integer({default: 30, description: 'seconds to wait for a worker to take the event', min: 1}),
  }

  static override summary = 'Send an agent an event and print its result'

  async run(): Promise<AgentEventResult> {
    const {args, flags} = await this.parse(AgentEvent)
    const result = await sendAgentEvent({agentId: args.agentId, cwd: process.cwd(), event: args.event, input: flags.input, timeoutSeconds: flags.timeout})
    this.log(JSON.stringify(result.result, null, 2))
    return result
  }
}
