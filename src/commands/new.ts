import {Args, Flags} from '@oclif/core'

import {RestackCommand, writeFlags} from '../command.js'
import {NewResult, runNew} from '../generators/new/run.js'
import {Runtime} from '../runtime/imports.js'

export default class New extends RestackCommand {
  static override args = {
    app: Args.string({description: 'app name: an npm package name, also the directory name', required: true}),
  }

  static override description = `Writes a TypeScript project with a sample agent and function, their tests, the src/restack runtime on the Temporal SDK, scripts and a README, then runs git init and npm install.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> my-agent',
    '<%= config.bin %> <%= command.id %> support-bot --task-queue support --skip-install',
    '<%= config.bin %> <%= command.id %> my-agent --dry-run',
    '<%= config.bin %> <%= command.id %> my-agent --runtime restackio',
  ]

  static override flags = {
    'dry-run': writeFlags['dry-run'],
    force: Flags.boolean({char: 'f', description: 'generate into an existing non-empty directory, overwriting files that differ'}),
    runtime: Flags.string({default: 'bundled', description: "where generated code gets Restack's API: bundled (src/restack/ on the Temporal SDK) or restackio (the @restackio/ai package)", options: ['bundled', 'restackio']}),
    'package-manager': Flags.string({default: 'npm', description: 'package manager to install with', options: ['npm']}),
    'skip-git': Flags.boolean({description: 'do not run git init'}),
    'skip-install': Flags.boolean({description: 'do not run npm install'}),
    'task-queue': Flags.string({default: 'restack', description: 'default task queue of the service'}),
    verbose: writeFlags.verbose,
  }

  static override summary = 'Create a Restack agent project'

  async run(): Promise<NewResult> {
    const {args, flags} = await this.parse(New)
    return runNew(
      {
        app: args.app,
        cwd: process.cwd(),
        dryRun: flags['dry-run'],
        force: flags.force,
        runtime: flags.runtime as Runtime,
        skipGit: flags['skip-git'],
        skipInstall: flags['skip-install'],
        taskQueue: flags['task-queue'],
      },
      this.reporter(flags.verbose),
    )
  }
}
