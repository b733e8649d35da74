import {Flags} from '@oclif/core'

import {toolAgentGenerator} from '../../agent-generator.js'
import {core} from '../../core.js'

export default class GenerateToolAgent extends core.EntityCommand {
  static override args = {name: core.nameArg}
  static override description =
    'Writes src/agents/<name>.ts: an agent whose "ask" event runs an LLM tool loop in which every LLM turn (llmChat, from generate:llm-config) and every tool call (the tool server\'s function, over MCP) is a durable step, bounded by --max-turns; a <name>Tools function that lists the server\'s tools for the model; and a test on the local Temporal dev server with wire fakes and the real tool server, including a worker restart mid-loop.'
  static override enableJsonFlag = true
  static override examples = ['<%= config.bin %> <%= command.id %> Support --tools calc', '<%= config.bin %> <%= command.id %> Research --tools web --max-turns 12']
  static override flags = {
    ...core.generateFlags,
    'max-turns': Flags.integer({default: 8, description: 'the most LLM turns one question may take'}),
    tools: Flags.string({description: 'the tool server (of config/tools.yaml) whose tools the model may call', required: true}),
  }
  static override summary = 'Generate an agent that answers with an LLM and a tool server, each turn and call a durable step'

  async run(): Promise<unknown> {
    const {args, flags} = await this.parse(GenerateToolAgent)
    return this.runEntity(toolAgentGenerator, {maxTurns: flags['max-turns'], name: args.name, tools: flags.tools}, 'generate', flags)
  }
}
