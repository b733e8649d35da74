import {Args, Flags} from '@oclif/core'

import {RestackCommand, writeFlags} from '../command.js'
import {RuntimeSwitchResult, runRuntimeSwitch} from '../runtime/run.js'
import {Runtime} from '../runtime/imports.js'

export default class RuntimeCommand extends RestackCommand {
  static override args = {
    runtime: Args.string({description: 'bundled (src/restack/ on the Temporal SDK) or restackio (the @restackio/ai package)', options: ['bundled', 'restackio'], required: true}),
  }

  static override description = `Rewrites the imports of Restack's API in the project's TypeScript (src/, test/, scripts/; not src/restack/ itself) between the bundled runtime ("../restack/agent") and @restackio/ai ("@restackio/ai/agent"), changing only the import specifiers; sets "runtime" in restack.yaml and adds or removes @restackio/ai in package.json. Switching there and back gives the same bytes.`

  static override examples = ['<%= config.bin %> <%= command.id %> restackio', '<%= config.bin %> <%= command.id %> bundled --dry-run']

  static override flags = {
    diff: Flags.boolean({description: 'with --dry-run, show each change as a unified diff'}),
    'dry-run': writeFlags['dry-run'],
    verbose: writeFlags.verbose,
  }

  static override summary = 'Move the project between the bundled runtime and @restackio/ai'

  async run(): Promise<RuntimeSwitchResult> {
    const {args, flags} = await this.parse(RuntimeCommand)
    return runRuntimeSwitch({cwd: process.cwd(), diff: flags.diff, dryRun: flags['dry-run'], to: args.runtime as Runtime}, this.reporter(flags.verbose))
  }
}
