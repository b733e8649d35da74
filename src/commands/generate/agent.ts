import {Flags} from '@oclif/core'

import {EntityCommand, generateFlags, nameArg} from '../../entity-command.js'
import {llmAgentArgv} from '../../generators/agent/llm.js'
import {agentGenerator} from '../../generators/agent/generator.js'
import {EntityResult} from '../../generators/run.js'

export default class GenerateAgent extends EntityCommand {
  static override args = {name: nameArg}
  static override description =
    'Writes src/agents/<name>.ts (one onEvent handler per event, an end event, continue-as-new with its state), its test on a local Temporal dev server, and scripts to schedule it and send it events; registers it in src/agents/index.ts and package.json. With --llm --tools <server>, writes instead the agent loop of @restack/plugin-tools (generate:tool-agent): every LLM turn and tool call a durable step; that needs @restack/plugin-llm and @restack/plugin-tools installed.'

  static override examples = [
    '<%= config.bin %> <%= command.id %> Support',
    '<%= config.bin %> <%= command.id %> Support --events message,feedback --dry-run',
    '<%= config.bin %> <%= command.id %> Support --llm --tools research',
  ]

  static override flags = {
    ...generateFlags,
    'task-queue': Flags.string({description: 'a task queue of its own: a service runs the agents there (added to src/services.ts when none does) and its scripts schedule it there'}),
    events: Flags.string({delimiter: ',', description: 'event names besides "end" (default: message)', exclusive: ['llm'], multiple: true}),
    llm: Flags.boolean({description: 'an agent that answers with an LLM calling the tools of --tools (needs @restack/plugin-llm and @restack/plugin-tools)'}),
    'max-turns': Flags.integer({description: 'with --llm: the most LLM turns one question may take (default 8)'}),
    tools: Flags.string({description: 'with --llm: the tool server (of config/tools.yaml) whose tools the model may call'}),
  }

  static override summary = 'Generate an agent: a long-running, event-driven workflow'

  async run(): Promise<EntityResult | undefined> {
    const {args, flags} = await this.parse(GenerateAgent)
    if (flags.llm || flags.tools !== undefined || flags['max-turns'] !== undefined) {
      // The plugin's command does the work (and prints its own result, --json included).
      const commands = new Set(this.config.commandIDs)
      await this.config.runCommand('generate:tool-agent', llmAgentArgv(this.argv, flags, (id) => commands.has(id)))
      return undefined
    }

    return this.runEntity(agentGenerator, {events: flags.events, name: args.name, taskQueue: flags['task-queue']}, 'generate', flags)
  }
}
