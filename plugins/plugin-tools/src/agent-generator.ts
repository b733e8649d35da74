// generate:tool-agent: an agent whose loop is durable step by step. Each LLM turn is an llmChat
// step (the router of @restack/plugin-llm), each tool call a step of the tool server's function
// (the manager's client, over MCP), until the model answers or the turns run out.
import {core} from './core.js'
import type {Core} from './core.js'
import {TEMPLATES_DIR} from './generator.js'
import {serverNames, TOOLS_YAML} from './tools-yaml.js'

export interface ToolAgentOptions {
  maxTurns: number
  name: string
  tools: string
}

export const toolAgentGenerator: Core.EntityGenerator<ToolAgentOptions> = {
  kind: 'agent',
  prepare(project, tree, options, mode) {
    // Destroy needs only the agent's name: what it removes is found by name, and no template is rendered.
    const server = mode === 'generate' ? core.toNames(options.tools, 'tool server name').camel : ''
    const text = tree.read(TOOLS_YAML)
    const servers = text === undefined ? [] : serverNames(text)
    if (mode === 'generate' && !servers.includes(server)) {
      throw new core.UserError(
        `--tools ${core.quote(options.tools)} names no tool server of ${TOOLS_YAML} (known: ${servers.join(', ') || 'none'}). Generate it first with "restack generate:tool-server ${options.tools}", or pass one of the known servers.`,
      )
    }

    if (mode === 'generate' && !tree.exists('src/functions/llmChat.ts')) {
      throw new core.UserError('The agent loop calls the LLM through the llmChat function, which this project does not have (src/functions/llmChat.ts). Generate it first with "restack generate:llm-config", then run this command again.')
    }

    if (mode === 'generate' && (!Number.isInteger(options.maxTurns) || options.maxTurns < 1 || options.maxTurns > 50)) {
      throw new core.UserError(`--max-turns ${options.maxTurns} must be a whole number from 1 to 50, e.g. --max-turns 8.`)
    }

    const names = core.namesFor(project, tree, 'agent', options.name, mode)
    const toolFunction = `${server}Tool`
    if (mode === 'generate' && !tree.exists(`src/functions/${toolFunction}.ts`)) {
      throw new core.UserError(`The tool server ${core.quote(server)} has no function src/functions/${toolFunction}.ts to call its tools with. Restore it with "restack generate:tool-server ${server} --force", then run this command again.`)
    }

    const listNames = core.namesFor(project, tree, 'function', `${names.camel} tools`, mode)
    const declarations: Core.Declaration[] = [
      {path: names.file, template: 'tool-agent/agent.ts.hbs', templatesDir: TEMPLATES_DIR, type: 'template'},
      {barrel: core.barrelOf('agent'), module: names.camel, type: 'barrel'},
      {path: listNames.file, template: 'tool-agent/tools.ts.hbs', templatesDir: TEMPLATES_DIR, type: 'template'},
      {barrel: core.barrelOf('function'), module: listNames.camel, type: 'barrel'},
      {registration: {defaultQueue: project.config.defaults.taskQueue, name: listNames.camel}, type: 'function'},
      {path: `test/agents/${names.camel}.test.ts`, template: 'tool-agent/agent.test.ts.hbs', templatesDir: TEMPLATES_DIR, type: 'template'},
    ]
    return {
      context: {listNames, maxTurns: options.maxTurns, names, server, toolFunction},
      declarations,
      kind: 'agent',
      names,
    }
  },
}
