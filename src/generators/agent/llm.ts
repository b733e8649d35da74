import {quote, UserError} from '../../errors.js'

/** The plugins the LLM + tools agent loop lives in, each with the command that shows it is installed. */
const PLUGINS = [
  {command: 'generate:llm-config', name: '@restack/plugin-llm'},
  {command: 'generate:tool-agent', name: '@restack/plugin-tools'},
]

/**
 * `restack g agent <Name> --llm --tools <server>` is generate:tool-agent of @restack/plugin-tools
 * (which calls the router of @restack/plugin-llm): checks the flags and the plugins, and returns the
 * arguments to run that command with. Nothing is written before this returns.
 */
export function llmAgentArgv(argv: string[], flags: {llm?: boolean; tools?: string}, hasCommand: (id: string) => boolean): string[] {
  if (!flags.llm) {
    throw new UserError(
      `--tools and --max-turns belong to the LLM agent loop, which --llm asks for. Add --llm (e.g. "restack g agent Support --llm --tools ${flags.tools ?? 'research'}"), or drop them for a plain event-driven agent.`,
      2,
    )
  }

  if (flags.tools === undefined) {
    throw new UserError(
      `--llm writes an agent whose LLM may call the tools of one tool server, and names none: add --tools <server>, a tool server of config/tools.yaml (e.g. "restack g agent Support --llm --tools research"; "restack g tool-server Research" makes one).`,
      2,
    )
  }

  const missing = PLUGINS.filter((plugin) => !hasCommand(plugin.command)).map((plugin) => plugin.name)
  if (missing.length > 0) {
    throw new UserError(
      `--llm --tools ${quote(flags.tools)} writes an agent whose LLM turns and tool calls are durable steps, and that lives in ${PLUGINS.map((plugin) => plugin.name).join(' and ')}; this restack does not have ${missing.join(' or ')}. Install ${missing.length === 1 ? 'it' : 'them'} with "restack plugins install ${missing.join(' ')}", then run the command again; nothing was written.`,
    )
  }

  // generate:tool-agent takes every flag given here except --llm itself (its --tools, --max-turns and the write flags).
  return argv.filter((arg) => arg !== '--llm')
}
