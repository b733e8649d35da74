import {Flags} from '@oclif/core'

import {EntityCommand, generateFlags, nameArg} from '../../entity-command.js'
import {DEFAULT_VERSION, promptGenerator} from '../../generators/prompt/generator.js'
import {EntityResult} from '../../generators/run.js'

export default class GeneratePrompt extends EntityCommand {
  static override args = {name: nameArg}
  static override description = `Writes prompts/<name>/<version>.md (front matter declaring its variables, then the text) and registers the version in config/prompts.yaml, editing only its own lines. "latest" moves forward only: to a higher release, never to a prerelease over a release. Also rewrites test/prompts/<name>.test.ts, which checks the version each selector loads. Load prompts from functions with src/prompts/loader.ts; see docs/prompts.md.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> Summarize',
    '<%= config.bin %> <%= command.id %> Summarize --version 1.1.0',
    '<%= config.bin %> <%= command.id %> Summarize --version 2.0.0-beta.1',
  ]

  static override flags = {
    ...generateFlags,
    version: Flags.string({default: DEFAULT_VERSION, description: 'the semantic version to write, e.g. 1.1.0 or 2.0.0-beta.1'}),
  }

  static override summary = 'Generate a version of a prompt and register it'

  async run(): Promise<EntityResult> {
    const {args, flags} = await this.parse(GeneratePrompt)
    return this.runEntity(promptGenerator, {name: args.name, version: flags.version}, 'generate', flags)
  }
}
