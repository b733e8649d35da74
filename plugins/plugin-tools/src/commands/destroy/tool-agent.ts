import {toolAgentGenerator} from '../../agent-generator.js'
import {core} from '../../core.js'

export default class DestroyToolAgent extends core.EntityCommand {
  static override args = {name: core.nameArg}
  static override enableJsonFlag = true
  static override examples = ['<%= config.bin %> <%= command.id %> Support']
  static override flags = core.destroyFlags
  static override summary = 'Remove an agent made by generate:tool-agent, its tools function and its test (the tool server and the LLM router stay)'

  async run(): Promise<unknown> {
    const {args, flags} = await this.parse(DestroyToolAgent)
    return this.runEntity(toolAgentGenerator, {maxTurns: 8, name: args.name, tools: ''}, 'destroy', flags)
  }
}
