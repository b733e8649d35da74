import {core} from '../../core.js'
import {llmConfigGenerator} from '../../generator.js'

export default class DestroyLlmConfig extends core.EntityCommand {
  static override description =
    'Removes what generate:llm-config wrote: config/llm_router.yaml, src/llm/, the llmChat function and its registration, the router tests and fakes, and the cockatiel and zod dependencies. Files you changed are kept unless --force.'
  static override enableJsonFlag = true
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --dry-run']
  static override flags = core.destroyFlags
  static override summary = 'Remove the LLM router, its config and the llmChat function'

  async run(): Promise<unknown> {
    const {flags} = await this.parse(DestroyLlmConfig)
    return this.runEntity(llmConfigGenerator, {name: 'llmChat'}, 'destroy', flags)
  }
}
