import {Flags} from '@oclif/core'
import {existsSync, statSync} from 'node:fs'
import {resolve} from 'node:path'

import {RestackCommand} from '../command.js'
import {quote, UserError} from '../errors.js'

export default class Mcp extends RestackCommand {
  static override description = `Serves the project in the current directory (or --project) to a coding agent over the Model Context Protocol: tools to list its units, read the generators and their options as JSON Schema, plan a generator run or a removal (a dry run with a unified diff), apply a plan (refused if a file changed since), run doctor, check a pipeline expression and run a workflow; resources with restack.yaml and the generated-code contract. stdio by default; --http serves Streamable HTTP on 127.0.0.1 only, refusing foreign Host and Origin headers. See docs/mcp.md for the client configuration of Claude Code, Cursor, VS Code and Codex.`

  static override enableJsonFlag = false
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --http --port 8931', '<%= config.bin %> <%= command.id %> --project ../my-agent']
  static override flags = {
    http: Flags.boolean({description: 'serve Streamable HTTP on 127.0.0.1 instead of stdio; the URL is printed on stdout'}),
    port: Flags.integer({dependsOn: ['http'], description: 'the port for --http (default: a free one)', max: 65_535, min: 0}),
    project: Flags.string({description: 'the project directory (default: the current directory)'}),
  }

  static override summary = 'Serve the project and its generators to coding agents over MCP'

  async run(): Promise<void> {
    const {flags} = await this.parse(Mcp)
    if (flags.project) {
      const dir = resolve(flags.project)
      if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`--project ${quote(flags.project)} is not a directory. Pass the project's folder (the one with restack.yaml), or run "restack mcp" inside it.`)
      process.chdir(dir)
    }

    // The MCP SDK loads only here: --help, --version and every other command never pay for it.
    const {serve} = await import('../mcp/serve.js')
    await serve({config: this.config, http: flags.http, port: flags.port})
  }
}
