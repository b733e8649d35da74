import {destroyFlags, EntityCommand, nameArg} from '../../entity-command.js'
import {functionGenerator} from '../../generators/function/generator.js'
import {EntityResult} from '../../generators/run.js'

export default class DestroyFunction extends EntityCommand {
  static override args = {name: nameArg}
  static override description = 'Deletes the files "restack generate function" wrote if they are unchanged since (asks on a terminal, or --force), and removes its registrations, leaving every other line as it was.'
  static override examples = ['<%= config.bin %> <%= command.id %> SendEmail', '<%= config.bin %> d function SendEmail --dry-run']
  static override flags = destroyFlags
  static override summary = 'Remove a function made by generate function'

  async run(): Promise<EntityResult> {
    const {args, flags} = await this.parse(DestroyFunction)
    return this.runEntity(functionGenerator, {name: args.name}, 'destroy', flags)
  }
}
