import {Flags} from '@oclif/core'

import {EntityCommand, generateFlags, nameArg} from '../../entity-command.js'
import {agentGenerator} from '../../generators/agent/generator.js'
import {EntityResult} from '../../generators/run.js'

export default class GenerateAgent extends EntityCommand {
  static override args = {name: nameArg}
  static override description = 'Writes src/agents/<name>.ts (one onEvent handler per event, an end event, continue-as-new with its state), its test on a local Temporal dev server, and scripts to schedule it and send it events; registers it in src/agents/index.ts and package.json.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> Support',
    '<%= config.bin %> <%= command.id %> Support --events message,feedback --dry-run',
  ]

  static override flags = {
    ...generateFlags,
    'task-queue': Flags.string({description: 'a task queue of its own: a service runs the agents there (added to src/services.ts when none does) and its scripts schedule it there'}),
    events: Flags.string({delimiter: ',', description: 'event names besides "end" (default: message)', multiple: true}),
  }

  static override summary = 'Generate an agent: a long-running, event-driven workflow'

  async run(): Promise<EntityResult> {
    const {args, flags} = await this.parse(GenerateAgent)
    return this.runEntity(agentGenerator, {events: flags.events, name: args.name, taskQueue: flags['task-queue']}, 'generate', flags)
  }
}
