import {refreshCompletions} from '../../completions.js'
import {core} from '../../core.js'
import {toolServerGenerator} from '../../generator.js'

export default class DestroyToolServer extends core.EntityCommand {
  static override args = {name: core.nameArg}
  static override enableJsonFlag = true
  static override examples = ['<%= config.bin %> <%= command.id %> Calc']
  static override flags = core.destroyFlags
  static override summary = 'Remove a tool server, its config entry and its function (the shared runtime goes with the last server)'

  async run(): Promise<unknown> {
    const {args, flags} = await this.parse(DestroyToolServer)
    const result = await this.runEntity(toolServerGenerator, {name: args.name}, 'destroy', flags)
    if (!result.dryRun) refreshCompletions(result.root)
    return result
  }
}
