import {Flags} from '@oclif/core'

import {EntityCommand, generateFlags, nameArg} from '../../entity-command.js'
import {pipelineGenerator} from '../../generators/pipeline/generator.js'
import {EntityResult} from '../../generators/run.js'

export default class GeneratePipeline extends EntityCommand {
  static override args = {name: nameArg}
  static override description = `Compiles an operator expression into src/workflows/<name>Pipeline.ts: "A → B" runs B on A's output, "A ⇄ B" repeats A then B while B says continue (at most pipelineLoopMax rounds), "C →? (T, F)" runs T when C says ok, else F. ASCII: ->, <->, ->?. Steps are the project's agents and workflows (run as child workflows) and functions (run as steps), matched in any case; --scaffold-missing creates unknown ones as functions. The expression is kept in restack.yaml, so --force regenerates it. See docs/pipelines.md.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> BlogPipeline --operators "IDEATE ⇄ RESEARCH → PLAN → OUTLINE → DRAFT ⇄ REVIEW → POLISH → PUBLISH" --scaffold-missing',
    '<%= config.bin %> <%= command.id %> Triage --operators "Classify ->? (Escalate, Reply)"',
    '<%= config.bin %> <%= command.id %> BlogPipeline --force',
  ]

  static override flags = {
    ...generateFlags,
    operators: Flags.string({char: 'o', description: 'the operator expression; defaults to the one restack.yaml holds for this pipeline'}),
    'scaffold-missing': Flags.boolean({description: 'generate unknown steps as functions in the same run'}),
  }

  static override summary = 'Generate a pipeline: a workflow compiled from an operator expression'

  async run(): Promise<EntityResult> {
    const {args, flags} = await this.parse(GeneratePipeline)
    return this.runEntity(pipelineGenerator, {name: args.name, operators: flags.operators, scaffoldMissing: flags['scaffold-missing']}, 'generate', flags)
  }
}
