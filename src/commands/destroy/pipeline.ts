import {destroyFlags, EntityCommand, nameArg} from '../../entity-command.js'
import {pipelineGenerator} from '../../generators/pipeline/generator.js'
import {EntityResult} from '../../generators/run.js'

export default class DestroyPipeline extends EntityCommand {
  static override args = {name: nameArg}
  static override description = 'Deletes the pipeline workflow, its test and the functions --scaffold-missing created for it (those unchanged since; asks on a terminal, or --force), and removes its registrations and its restack.yaml entry.'
  static override examples = ['<%= config.bin %> <%= command.id %> BlogPipeline', '<%= config.bin %> d pipeline BlogPipeline --dry-run']
  static override flags = destroyFlags
  static override summary = 'Remove a pipeline made by generate pipeline'

  async run(): Promise<EntityResult> {
    const {args, flags} = await this.parse(DestroyPipeline)
    return this.runEntity(pipelineGenerator, {name: args.name}, 'destroy', flags)
  }
}
