// Doctor rules of @restack/plugin-llm, through the restack:doctor hook: the router config is valid,
// the variables it needs are set, and Kong answers when the backend is kong. The config is checked
// by the project's own loader (src/llm/config.ts, run with the project's tsx), so doctor and the
// running service can never disagree about what is valid.
import {spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join} from 'node:path'

import type {Core} from '../core.js'

type Finding = Core.Finding
type Rule = Core.Rule

const CONFIG = 'config/llm_router.yaml'

const PROBE = `const { loadRouterConfig } = require("./src/llm/config");
try {
  const config = loadRouterConfig();
  process.stdout.write(JSON.stringify({ ok: true, backend: config.backend, kongUrl: config.kong ? config.kong.url : null }));
} catch (error) {
  process.stdout.write(JSON.stringify({ ok: false, name: error && error.name, message: String(error && error.message) }));
}`

interface ProbeResult {
  backend?: string
  kongUrl?: null | string
  message?: string
  name?: string
  ok: boolean
}

/** Runs the project's config loader under its own tsx, in the environment the service would see. */
function loadInProject(root: string, env: NodeJS.ProcessEnv): Promise<ProbeResult | string> {
  const tsx = join(root, 'node_modules/tsx/dist/cli.mjs')
  if (!existsSync(tsx)) return Promise.resolve('the project has no node_modules/tsx (run "npm install")')
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsx, '-e', PROBE], {cwd: root, env: {...env, LLM_ROUTER_CONFIG: CONFIG}, stdio: ['ignore', 'pipe', 'pipe']})
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk) => (out += chunk))
    child.stderr.on('data', (chunk) => (err += chunk))
    child.on('error', (error) => resolve(error.message))
    child.on('close', () => {
      try {
        resolve(JSON.parse(out) as ProbeResult)
      } catch {
        resolve(`src/llm/config.ts could not run: ${(err || out).trim().split('\n')[0]}`)
      }
    })
  })
}

async function reachable(url: string): Promise<string | undefined> {
  try {
    await fetch(url, {method: 'GET', signal: AbortSignal.timeout(3000)})
    return undefined
  } catch (error) {
    const cause = (error as {cause?: {code?: string}}).cause
    return cause?.code ?? (error as Error).message
  }
}

const rule: Rule = {
  description: 'the LLM router config is valid, its variables are set, and Kong answers when the backend is kong',
  name: 'llm-router',
  needsProject: true,
  async run({env, root}): Promise<Finding[]> {
    if (!root || !existsSync(join(root, CONFIG))) return []
    const result = await loadInProject(root, env)
    if (typeof result === 'string') {
      return [{code: 'llm/config-unchecked', fix: 'Run "npm install" in the project, then "restack doctor" again.', message: `${CONFIG} was not checked: ${result}.`, severity: 'warn'}]
    }

    if (!result.ok) {
      const missingVariable = /needs the environment variable (\w+)/.exec(result.message ?? '')
      return [
        missingVariable
          ? {code: 'llm/env-missing', fix: `Add ${missingVariable[1]}=... to .env (see ${CONFIG} for what it is).`, message: result.message ?? '', severity: 'error'}
          : {code: 'llm/config-invalid', fix: `Fix ${CONFIG} as the message says, or regenerate it with "restack generate:llm-config --force".`, message: result.message ?? '', severity: 'error'},
      ]
    }

    if (result.backend === 'kong' && result.kongUrl) {
      const problem = await reachable(result.kongUrl)
      if (problem) {
        return [
          {
            code: 'llm/kong-unreachable',
            fix: 'Start Kong (or set KONG_GATEWAY_URL to where it runs); the router cannot answer until it does.',
            message: `Kong AI Gateway at ${result.kongUrl} did not answer (${problem}).`,
            severity: 'warn',
          },
        ]
      }
    }

    return []
  },
  timeoutMs: 20_000,
}

export default async function doctorHook(): Promise<Rule[]> {
  return [rule]
}
