import {existsSync, readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {parse} from 'yaml'
import {z} from 'zod'

import {quote, UserError} from '../errors.js'

export const CONFIG_FILE = 'restack.yaml'

export const ConfigSchema = z
  .object({
    app: z.coerce.string().min(1),
    defaults: z
      .object({
        pipelineLoopMax: z.number().int().min(1).max(100).default(3),
        taskQueue: z.string().regex(/^[\w.-]+$/).default('restack'),
      })
      .strict()
      .prefault({}),
    pipelines: z
      .record(
        z.string(),
        z.object({
          loopMax: z.record(z.string(), z.number().int().min(1).max(100)).optional(),
          operators: z.string().min(1),
          scaffolded: z.array(z.string()).optional(),
        }),
      )
      .optional(),
    restack: z.literal(1),
    /** bundled: generated code imports the project's src/restack/ runtime; restackio: the real @restackio/ai package. */
    runtime: z.enum(['bundled', 'restackio']).default('bundled'),
    /** agents and workflows that a generated service runs ("workflow:report": its task queue), for destroy to take that service back */
    unitQueues: z.record(z.string().regex(/^(agent|workflow):\w+$/), z.string().regex(/^[\w.-]+$/)).optional(),
  })
  .loose()

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
