import {Args, Flags} from '@oclif/core'

import {RestackCommand, writeFlags} from './command.js'
import {Intent} from './engine/tree.js'
import {Mode} from './generators/declarations.js'
import {EntityGenerator} from './generators/entity.js'
import {EntityResult, runEntity} from './generators/run.js'

export const nameArg = Args.string({description: 'name in any case: "send email", SendEmail, send-email', required: true})

export const generateFlags = {
  ...writeFlags,
  diff: Flags.boolean({description: 'with the plan, show a unified diff of every file that changes'}),
}

export const destroyFlags = {
  diff: generateFlags.diff,
  'dry-run': writeFlags['dry-run'],
  force: Flags.boolean({char: 'f', description: 'delete files even if you changed them since they were generated', exclusive: ['skip']}),
  skip: Flags.boolean({char: 's', description: 'keep files you changed and remove the rest', exclusive: ['force']}),
  verbose: writeFlags.verbose,
}

/** A generate:<kind> or destroy:<kind> command: flags in, the entity runner, the result out. */
export abstract class EntityCommand extends RestackCommand {
  protected async runEntity<Options extends {name: string}>(
    generator: EntityGenerator<Options>,
    options: Options,
    mode: Mode,
    flags: {diff?: boolean; 'dry-run'?: boolean; force?: boolean; skip?: boolean; verbose?: boolean},
  ): Promise<EntityResult> {
    const reporter = this.reporter(flags.verbose)
    return runEntity(
      generator,
      options,
      mode,
      {
        cwd: process.cwd(),
        diff: flags.diff,
        dryRun: flags['dry-run'],
        confirmReplacement: this.interactive ? askAboutReplacement : undefined,
        force: flags.force,
        resolveConflict: this.interactive ? askAboutConflict : undefined,
        skip: flags.skip,
      },
      reporter,
    )
  }
}

async function askAboutConflict(path: string, intent: Intent): Promise<'overwrite' | 'skip'> {
  const {default: confirm} = await import('@inquirer/confirm')
  const message = intent === 'delete' ? `${path} was changed since it was generated. Delete it anyway?` : `${path} differs from what restack generates. Overwrite it?`
  return (await confirm({default: false, message})) ? 'overwrite' : 'skip'
}

async function askAboutReplacement(question: string): Promise<boolean> {
  const {default: confirm} = await import('@inquirer/confirm')
  return confirm({default: false, message: question})
}
