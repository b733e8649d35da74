import {Flags} from '@oclif/core'

import {EntityCommand, generateFlags, nameArg} from '../../entity-command.js'
import {workflowGenerator} from '../../generators/workflow/generator.js'
import {EntityResult} from '../../generators/run.js'

export default class GenerateWorkflow extends EntityCommand {
  static override args = {name: nameArg}
  static override description = 'Writes src/workflows/<name>.ts, its test on a local Temporal dev server, and a run script; registers it in src/workflows/index.ts and package.json.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> Onboarding',
    '<%= config.bin %> <%= command.id %> ExecuteTodo --task-queue todo-workflows',
  ]

  static override flags = {
    ...generateFlags,
    'task-queue': Flags.string({description: 'a task queue of its own: a service runs the workflows there (added to src/services.ts when none does) and its scripts schedule it there'}),
  }

  static override summary = 'Generate a workflow: a deterministic sequence of steps'

  async run(): Promise<EntityResult> {
    const {args, flags} = await this.parse(GenerateWorkflow)
    return this.runEntity(workflowGenerator, {name: args.name, taskQueue: flags['task-queue']}, 'generate', flags)
  }
}
