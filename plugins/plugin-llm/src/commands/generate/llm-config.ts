import {Flags} from '@oclif/core'

import {core} from '../../core.js'
import {llmConfigGenerator} from '../../generator.js'

export default class GenerateLlmConfig extends core.EntityCommand {
  static override description =
    'Writes config/llm_router.yaml, the router in src/llm/ (OpenAI-compatible and Anthropic providers over fetch, fallback by priority, retries with backoff honouring retry-after, one deadline, a circuit breaker per provider, one JSON log line per attempt, a price table), an llmChat function registered in services.ts, and wire fakes with tests of the router in test/llm/. Agents and workflows call the LLM only through llmChat.'
  static override enableJsonFlag = true
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --backend kong --provider openai,anthropic',
  ]
  static override flags = {
    ...core.generateFlags,
    backend: Flags.string({default: 'direct', description: 'direct (call the providers) or kong (through Kong AI Gateway ai-proxy routes)', options: ['direct', 'kong']}),
    provider: Flags.string({default: 'openai,anthropic', description: 'providers in priority order, comma-separated: openai, anthropic'}),
  }
  static override summary = 'Generate the LLM router, its config and the llmChat function'

  async run(): Promise<unknown> {
    const {flags} = await this.parse(GenerateLlmConfig)
    return this.runEntity(llmConfigGenerator, {backend: flags.backend, name: 'llmChat', providers: flags.provider}, 'generate', flags)
  }
}
