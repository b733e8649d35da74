import {destroyFlags, EntityCommand, nameArg} from '../../entity-command.js'
import {agentGenerator} from '../../generators/agent/generator.js'
import {EntityResult} from '../../generators/run.js'

export default class DestroyAgent extends EntityCommand {
  static override args = {name: nameArg}
  static override description = 'Deletes the files "restack generate agent" wrote if they are unchanged since (asks on a terminal, or --force), and removes its registrations, leaving every other line as it was.'
  static override examples = ['<%= config.bin %> <%= command.id %> Support', '<%= config.bin %> d agent Support --dry-run']
  static override flags = destroyFlags
  static override summary = 'Remove an agent made by generate agent'

  async run(): Promise<EntityResult> {
    const {args, flags} = await this.parse(DestroyAgent)
    return this.runEntity(agentGenerator, {name: args.name}, 'destroy', flags)
  }
}
