import {fileURLToPath} from 'node:url'

import {core, type Core} from './core.js'

export const BACKENDS = ['direct', 'kong'] as const
export type Backend = (typeof BACKENDS)[number]

/** What each provider type starts with: the env prefix, its API, a model, its context window and its Kong route. */
export const PROVIDERS = {
  anthropic: {baseUrl: 'https://api.anthropic.com', contextWindow: 200_000, envPrefix: 'ANTHROPIC', model: 'claude-3-5-haiku-latest'},
  openai: {baseUrl: 'https://api.openai.com/v1', contextWindow: 128_000, envPrefix: 'OPENAI', model: 'gpt-4o-mini'},
} as const
export type ProviderType = keyof typeof PROVIDERS

/** Pinned: cockatiel 4 is ESM-only and needs Node 22, and generated projects are CommonJS on Node >= 20. */
export const COCKATIEL_VERSION = '3.2.1'
export const ZOD_VERSION = '^4.6.7'

export interface LlmConfigOptions {
  backend?: string
  name: string
  providers?: string
}

const TEMPLATES_DIR = fileURLToPath(new URL('../templates/', import.meta.url))

const STATIC_FILES = [
  'src/llm/config.ts',
  'src/llm/errors.ts',
  'src/llm/prices.ts',
  'src/llm/providers.ts',
  'src/llm/router.ts',
  'src/llm/index.ts',
  'src/functions/llmChat.ts',
  'test/llm/fakes.ts',
  'test/llm/router.test.ts',
  'test/llm/config.test.ts',
  'test/functions/llmChat.test.ts',
]

/** The files generate:llm-config writes, relative to the project root. */
export const GENERATED_FILES = ['config/llm_router.yaml', ...STATIC_FILES]

export function parseProviders(value: string): ProviderType[] {
  const names = value
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean)
  const known = Object.keys(PROVIDERS)
  const bad = names.find((name) => !known.includes(name))
  if (bad !== undefined || names.length === 0) {
    throw new core.UserError(
      `${core.quote(value)} is not a provider list: ${bad === undefined ? 'it names no provider' : `${core.quote(bad)} is not a provider type`}. Use a comma-separated list of ${known.join(', ')} in priority order, e.g. --provider openai,anthropic.`,
    )
  }

  const duplicate = names.find((name, index) => names.indexOf(name) !== index)
  if (duplicate) throw new core.UserError(`${core.quote(value)} names ${core.quote(duplicate)} twice. List each provider once, in priority order, e.g. --provider openai,anthropic.`)
  return names as ProviderType[]
}

export const ENV_EXAMPLE = '.env.example'
const ENV_START = '# --- LLM router (restack generate:llm-config): variables config/llm_router.yaml reads ---'
const ENV_END = '# --- end of LLM router ---'

/** The .env.example block: the variables the router's config and code read. */
export function envBlock(backend: Backend, types: ProviderType[]): string {
  const lines =
    backend === 'kong'
      ? ['# Kong AI Gateway holds the provider keys; the router only needs its address (and a consumer key if routes need one).', '# KONG_GATEWAY_URL=', '# KONG_API_KEY=']
      : types.flatMap((type) => [`${PROVIDERS[type].envPrefix}_API_KEY=`, `# ${PROVIDERS[type].envPrefix}_BASE_URL=`])
  return [ENV_START, ...lines, '# Another config file than config/llm_router.yaml; "off" silences the JSON line per attempt.', '# LLM_ROUTER_CONFIG=', '# LLM_ROUTER_LOG=', ENV_END].join('\n')
}

/**
 * Puts the block in .env.example (replacing an earlier one), or takes it out. The core has no
 * declaration for .env.example lines, so this edits the tree directly, both ways.
 */
function editEnvExample(tree: Core.Tree, mode: Core.Mode, block: string): void {
  const source = tree.read(ENV_EXAMPLE)
  if (source === undefined) return
  const start = source.indexOf(ENV_START)
  const end = source.indexOf(ENV_END)
  let base = source
  if (start !== -1 && end > start) {
    const before = source.slice(0, start).replace(/\n$/, '')
    base = before + source.slice(end + ENV_END.length + (source[end + ENV_END.length] === '\n' ? 1 : 0))
  }

  const next = mode === 'generate' ? `${base}${base.endsWith('\n') ? '' : '\n'}\n${block}\n` : base
  if (next !== source) tree.update(ENV_EXAMPLE, next)
}

export const llmConfigGenerator: Core.EntityGenerator<LlmConfigOptions> = {
  kind: 'llm-config',
  // another --backend or --provider over an existing router is a conflict, not a silent update
  rerunChecked: true,
  prepare(project, tree, options, mode) {
    const backend = (options.backend ?? 'direct') as Backend
    if (!BACKENDS.includes(backend)) {
      throw new core.UserError(`${core.quote(backend)} is not a backend. Use --backend direct (call the providers) or --backend kong (through Kong AI Gateway routes).`)
    }

    if (mode === 'destroy' && !GENERATED_FILES.some((path) => tree.exists(path))) {
      throw new core.UserError(
        `There is no LLM router to destroy: none of its files (${GENERATED_FILES.filter((path) => path.startsWith('config/') || path === 'src/functions/llmChat.ts').join(', ')}, src/llm/) is in this project. "restack generate:llm-config" adds one; "restack list" shows what the project has.`,
      )
    }

    const types = mode === 'generate' ? parseProviders(options.providers ?? 'openai,anthropic') : []
    const providers = types.map((type, index) => {
      const known = PROVIDERS[type]
      return {
        apiKey: `\${${known.envPrefix}_API_KEY}`,
        baseUrl: `\${${known.envPrefix}_BASE_URL:-${known.baseUrl}}`,
        contextWindow: known.contextWindow,
        model: known.model,
        name: type,
        priority: index + 1,
        route: `/ai/${type}`,
        type,
      }
    })
    editEnvExample(tree, mode, envBlock(backend, types))
    const names = core.toNames('llmChat', 'function name')
    const templates: Core.Declaration[] = GENERATED_FILES.map((path) => ({path, template: `llm-config/${path}.hbs`, templatesDir: TEMPLATES_DIR, type: 'template'}))
    return {
      context: {backend, isKong: backend === 'kong', providers},
      declarations: [
        ...templates,
        {barrel: core.barrelOf('function'), module: 'llmChat', type: 'barrel'},
        {registration: {defaultQueue: project.config.defaults.taskQueue, name: 'llmChat'}, type: 'function'},
        {name: 'cockatiel', type: 'dependency', version: COCKATIEL_VERSION},
        {name: 'zod', type: 'dependency', version: ZOD_VERSION},
      ],
      kind: 'llm-config',
      names: {...names, exportName: 'llmChat', file: 'src/functions/llmChat.ts'},
    }
  },
}
