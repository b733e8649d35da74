import {Args, Flags} from '@oclif/core'

import {core} from '../../core.js'
import {projectRoot, runInProject} from '../../project-run.js'

interface Called {
  ms: number
  result: {content: Array<{text?: string; type: string}>; isError?: boolean; structuredContent?: unknown}
}

export default class ToolsCall extends core.RestackCommand {
  static override args = {
    server: Args.string({description: 'a server of config/tools.yaml', required: true}),
    tool: Args.string({description: 'the tool to call', required: true}),
  }
  static override examples = [`<%= config.bin %> <%= command.id %> calc evaluate --args '{"expression": "1 + 2"}'`]
  static override flags = {args: Flags.string({default: '{}', description: 'the arguments as a JSON object'})}
  static override summary = 'Call a tool of a tool server over MCP and print its result'

  async run(): Promise<Called> {
    const {args, flags} = await this.parse(ToolsCall)
    let parsed: unknown
    try {
      parsed = JSON.parse(flags.args)
    } catch (error) {
      throw new core.UserError(`--args ${core.quote(flags.args)} is not JSON (${(error as Error).message}). Pass an object, e.g. --args '{"expression": "1 + 2"}'.`, 2)
    }

    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new core.UserError(`--args ${core.quote(flags.args)} must be a JSON object, e.g. --args '{"expression": "1 + 2"}'.`, 2)
    }

    const called = await runInProject<Called>(projectRoot(), ['call', args.server, args.tool, JSON.stringify(parsed)])
    const text = called.result.content.map((block) => (block.type === 'text' ? block.text : `[${block.type}]`)).join('\n')
    if (called.result.isError) {
      if (!this.jsonEnabled()) this.logToStderr(`${args.server}.${args.tool} returned an error: ${text}`)
      process.exitCode = 1
    } else {
      this.log(text)
    }

    return called
  }
}
