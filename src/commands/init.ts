import {Flags} from '@oclif/core'

import {RestackCommand, writeFlags} from '../command.js'
import {InitResult, runInit} from '../generators/init/run.js'

export default class Init extends RestackCommand {
  static override description = `Run it in the root of a project started from Restack's TypeScript examples or boilerplate (a package.json and a src/services.ts calling client.startService). It writes restack.yaml with what it finds (task queues, agent and workflow folders of each startService call, the default queue, the runtime: restackio when package.json depends on @restackio/ai, else bundled) and records your existing files in .restack/ledger.json as yours, so that no restack command deletes or overwrites them as generated. It changes nothing else.`

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --dry-run', '<%= config.bin %> <%= command.id %> --json']

  static override flags = {
    'dry-run': writeFlags['dry-run'],
    runtime: Flags.string({description: 'the runtime generated code imports (default: restackio when package.json depends on @restackio/ai, else bundled)', options: ['bundled', 'restackio']}),
    verbose: writeFlags.verbose,
  }

  static override summary = 'Adopt an existing Restack TypeScript project'

  async run(): Promise<InitResult> {
    const {flags} = await this.parse(Init)
    return runInit({cwd: process.cwd(), dryRun: flags['dry-run'], runtime: flags.runtime as 'bundled' | 'restackio' | undefined}, this.reporter(flags.verbose))
  }
}
