import {destroyFlags, EntityCommand, nameArg} from '../../entity-command.js'
import {workflowGenerator} from '../../generators/workflow/generator.js'
import {EntityResult} from '../../generators/run.js'

export default class DestroyWorkflow extends EntityCommand {
  static override args = {name: nameArg}
  static override description = 'Deletes the files "restack generate workflow" wrote if they are unchanged since (asks on a terminal, or --force), and removes its registrations, leaving every other line as it was.'
  static override examples = ['<%= config.bin %> <%= command.id %> Onboarding', '<%= config.bin %> d workflow Onboarding --dry-run']
  static override flags = destroyFlags
  static override summary = 'Remove a workflow made by generate workflow'

  async run(): Promise<EntityResult> {
    const {args, flags} = await this.parse(DestroyWorkflow)
    return this.runEntity(workflowGenerator, {name: args.name}, 'destroy', flags)
  }
}
