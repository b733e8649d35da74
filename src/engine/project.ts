import {existsSync, readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import * as v from 'valibot'
import {parse} from 'yaml'

import {quote, UserError} from '../errors.js'

export const CONFIG_FILE = 'restack.yaml'

// valibot: every command that reads restack.yaml loads and runs this at start-up, and valibot's
// functions cost next to nothing to load, where zod/mini built ~20 ms of schema classes first
// (docs/performance.md).
const loopMax = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100))
const queueName = v.pipe(v.string(), v.regex(/^[\w.-]+$/, 'a task queue is letters, digits, "_", "." and "-"'))

// valibot takes a list for a mapping (`defaults: []` passed as {}) and its records skip these keys without
// a word (they would reach Object.prototype): each mapping is checked here first, naming what is wrong,
// instead of passing with the list read as empty or the entry silently dropped.
const RESERVED_KEYS = ['__proto__', 'constructor', 'prototype']
const reservedKey = (input: unknown): string | undefined =>
  typeof input === 'object' && input !== null ? Object.keys(input).find((key) => RESERVED_KEYS.includes(key)) : undefined
const mapping = (what: string) =>
  v.pipe(
    v.custom<unknown>((input) => typeof input === 'object' && input !== null && !Array.isArray(input), `${what} must be a mapping (key: value lines), not a list or a single value`),
    v.custom<unknown>(
      (input) => reservedKey(input) === undefined,
      (issue) => `the key ${JSON.stringify(reservedKey(issue.input))} cannot be used here (JavaScript reserves it); rename or remove it`,
    ),
  )

export const ConfigSchema = v.pipe(
  mapping('restack.yaml'),
  v.looseObject({
    // `app: 123` (a project named 123) is the string "123"
    app: v.pipe(v.union([v.string(), v.number()]), v.transform(String), v.minLength(1)),
    defaults: v.optional(
      v.pipe(
        mapping('defaults'),
        v.strictObject(
          {
            pipelineLoopMax: v.optional(loopMax, 3),
            taskQueue: v.optional(queueName, 'restack'),
          },
          'defaults is a mapping with only taskQueue and pipelineLoopMax',
        ),
      ),
      {},
    ),
    pipelines: v.optional(
      v.pipe(
        mapping('pipelines'),
        v.record(
          v.string(),
          v.pipe(
            mapping('a pipeline'),
            v.object({
              loopMax: v.optional(v.pipe(mapping('loopMax'), v.record(v.string(), loopMax))),
              operators: v.pipe(v.string(), v.minLength(1)),
              scaffolded: v.optional(v.array(v.string())),
            }),
          ),
        ),
      ),
    ),
    restack: v.literal(1),
    /** bundled: generated code imports the project's src/restack/ runtime; restackio: the real @restackio/ai package. */
    runtime: v.optional(v.picklist(['bundled', 'restackio']), 'bundled'),
    /** agents and workflows that a generated service runs ("workflow:report": its task queue), for destroy to take that service back */
    unitQueues: v.optional(
      v.pipe(mapping('unitQueues'), v.record(v.pipe(v.string(), v.regex(/^(agent|workflow):\w+$/, 'a key is "agent:<name>" or "workflow:<name>"')), queueName)),
    ),
  }),
)

export type ProjectConfig = v.InferOutput<typeof ConfigSchema>

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

  const result = v.safeParse(ConfigSchema, data)
  if (result.success) return result.output
  const issue = result.issues[0]
  const key = issue.path && issue.path.length > 0 ? issue.path.map((item) => String(item.key)).join('.') : '(top level)'
  // valibot says a required key that is absent is an "Invalid key: Expected "app" but received undefined"
  const message = issue.type.endsWith('object') && issue.received === 'undefined' && issue.input === undefined ? 'the key is missing' : issue.message
  throw new UserError(`${file} is invalid at ${quote(key)}: ${message}. Fix that key; a fresh project has "restack: 1", "app: <name>" and "defaults: {taskQueue: restack, pipelineLoopMax: 3}".`)
}
