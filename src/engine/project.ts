import {existsSync, readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {parse} from 'yaml'
import en from 'zod/v4/locales/en.js'
import * as z from 'zod/mini'

import {quote, UserError} from '../errors.js'

export const CONFIG_FILE = 'restack.yaml'

// zod/mini, not the classic API: the same validation in about a tenth of the code, which every command
// that reads restack.yaml would otherwise load and run at start-up (docs/performance.md).
z.config(en())

const loopMax = (): z.ZodMiniNumber<number> => z.number().check(z.int(), z.minimum(1), z.maximum(100))

export const ConfigSchema = z.looseObject({
  app: z.coerce.string().check(z.minLength(1)),
  defaults: z.prefault(
    z.strictObject({
      pipelineLoopMax: z._default(loopMax(), 3),
      taskQueue: z._default(z.string().check(z.regex(/^[\w.-]+$/)), 'restack'),
    }),
    {},
  ),
  pipelines: z.optional(
    z.record(
      z.string(),
      z.object({
        loopMax: z.optional(z.record(z.string(), loopMax())),
        operators: z.string().check(z.minLength(1)),
        scaffolded: z.optional(z.array(z.string())),
      }),
    ),
  ),
  restack: z.literal(1),
  /** bundled: generated code imports the project's src/restack/ runtime; restackio: the real @restackio/ai package. */
  runtime: z._default(z.enum(['bundled', 'restackio']), 'bundled'),
  /** agents and workflows that a generated service runs ("workflow:report": its task queue), for destroy to take that service back */
  unitQueues: z.optional(z.record(z.string().check(z.regex(/^(agent|workflow):\w+$/)), z.string().check(z.regex(/^[\w.-]+$/)))),
})

export type ProjectConfig = z.infer<typeof ConfigSchema>

export interface Project {
  config: ProjectConfig
  root: string
}

/** The nearest directory at or above `from` that holds restack.yaml. */
export function findProjectRoot(from: string): string | undefined {
  let dir = resolve(from)
  for (;;) {
    if (existsSync(join(dir, CONFIG_FILE))) return dir
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

export function loadProject(from: string): Project {
  const root = findProjectRoot(from)
  if (!root) {
    throw new UserError(
      `${quote(resolve(from))} is not inside a restack project: no ${CONFIG_FILE} was found here or in any parent directory. Run this command from a project's directory, or create one with "restack new my-agent".`,
    )
  }

  return {config: parseConfig(readFileSync(join(root, CONFIG_FILE), 'utf8'), join(root, CONFIG_FILE)), root}
}

export function parseConfig(text: string, file = CONFIG_FILE): ProjectConfig {
  let data: unknown
  try {
    data = parse(text)
  } catch (error) {
    throw new UserError(`${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}. Fix the file, or compare it with a fresh "restack new".`)
  }

  const result = ConfigSchema.safeParse(data)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const key = issue.path.length > 0 ? issue.path.join('.') : '(top level)'
  throw new UserError(`${file} is invalid at ${quote(key)}: ${issue.message}. Fix that key; a fresh project has "restack: 1", "app: <name>" and "defaults: {taskQueue: restack, pipelineLoopMax: 3}".`)
}
