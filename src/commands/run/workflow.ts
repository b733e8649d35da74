import {Args, Flags} from '@oclif/core'

import {RestackCommand} from '../../command.js'
import {runWorkflow, RunWorkflowResult} from '../../drive/workflow.js'

export default class RunWorkflow extends RestackCommand {
  static override args = {name: Args.string({description: 'the workflow or pipeline, any case: Onboarding, blogPipeline', required: true})}
  static override description = `Starts a workflow or pipeline of the project through its own client (src/client.ts, with .env) and waits for its result. The engine must answer and the service must be running ("restack run:server").`
  static override examples = [`<%= config.bin %> <%= command.id %> BlogPipeline --input '{"topic":"durable agents"}'`, '<%= config.bin %> <%= command.id %> Onboarding --json']
  static override flags = {
    id: Flags.string({description: 'the workflow id (default: <timestamp>-<name>)'}),
    input: Flags.string({char: 'i', description: 'the input as JSON (default {})'}),
    timeout: Flags.integer({default: 60, description: 'seconds to wait for the result', min: 1}),
  }

  static override summary = 'Run a workflow or pipeline and print its result'

  async run(): Promise<RunWorkflowResult> {
    const {args, flags} = await this.parse(RunWorkflow)
    const result = await runWorkflow({cwd: process.cwd(), id: flags.id, input: flags.input, name: args.name, timeoutSeconds: flags.timeout})
    this.log(JSON.stringify(result.result, null, 2))
    return result
  }
}
