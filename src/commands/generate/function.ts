import {Flags} from '@oclif/core'

import {EntityCommand, generateFlags, nameArg} from '../../entity-command.js'
import {functionGenerator} from '../../generators/function/generator.js'
import {EntityResult} from '../../generators/run.js'

export default class GenerateFunction extends EntityCommand {
  static override args = {name: nameArg}
  static override description = 'Writes src/functions/<name>.ts with a typed input that fails non-retryably on bad input, and its test; registers it in src/functions/index.ts and in a service of src/services.ts. --task-queue gives it a service of its own on that queue, with --rate-limit and --max-concurrent.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> SendEmail',
    '<%= config.bin %> <%= command.id %> ChargeCard --task-queue payments --rate-limit 10 --max-concurrent 2',
  ]

  static override flags = {
    ...generateFlags,
    'max-concurrent': Flags.integer({description: 'most runs at once on its queue (needs --task-queue)', min: 1}),
    'rate-limit': Flags.integer({description: 'most runs per second on its queue (needs --task-queue)', min: 1}),
    'task-queue': Flags.string({description: 'run it on its own task queue, in a service of its own'}),
  }

  static override summary = 'Generate a function (a Restack step) and register it'

  async run(): Promise<EntityResult> {
    const {args, flags} = await this.parse(GenerateFunction)
    const options = {maxConcurrent: flags['max-concurrent'], name: args.name, rateLimit: flags['rate-limit'], taskQueue: flags['task-queue']}
    return this.runEntity(functionGenerator, options, 'generate', flags)
  }
}
