import {EntityCommand, generateFlags, nameArg} from '../../entity-command.js'
import {workflowGenerator} from '../../generators/workflow/generator.js'
import {EntityResult} from '../../generators/run.js'

export default class GenerateWorkflow extends EntityCommand {
  static override args = {name: nameArg}
  static override description = 'Writes src/workflows/<name>.ts, its test on a local Temporal dev server, and a run script; registers it in src/workflows/index.ts and package.json.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> Onboarding',
  ]

  static override flags = {
    ...generateFlags,
  }

  static override summary = 'Generate a workflow: a deterministic sequence of steps'

  async run(): Promise<EntityResult> {
    const {args, flags} = await this.parse(GenerateWorkflow)
    return this.runEntity(workflowGenerator, {name: args.name}, 'generate', flags)
  }
}
