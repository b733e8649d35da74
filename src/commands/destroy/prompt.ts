import {Flags} from '@oclif/core'

import {destroyFlags, EntityCommand, nameArg} from '../../entity-command.js'
import {promptGenerator} from '../../generators/prompt/generator.js'
import {EntityResult} from '../../generators/run.js'

export default class DestroyPrompt extends EntityCommand {
  static override args = {name: nameArg}
  static override description =
    'Deletes a version of a prompt (every version without --version) if its file is unchanged since "generate:prompt" wrote it (asks on a terminal, or --force), and removes it from config/prompts.yaml; "latest", if it named that version, moves back to the highest one left. test/prompts/<name>.test.ts is rewritten, or deleted with the last version.'

  static override examples = ['<%= config.bin %> <%= command.id %> Summarize --version 1.1.0', '<%= config.bin %> d prompt Summarize --dry-run']
  static override flags = {
    ...destroyFlags,
    version: Flags.string({description: 'the version to remove; without it, every version'}),
  }

  static override summary = 'Remove a prompt version (or a whole prompt) made by generate:prompt'

  async run(): Promise<EntityResult> {
    const {args, flags} = await this.parse(DestroyPrompt)
    return this.runEntity(promptGenerator, {name: args.name, version: flags.version}, 'destroy', flags)
  }
}
