import type {Command, Config} from '@oclif/core'

import {closest} from '../engine/suggest.js'
import {quote} from '../errors.js'
import {FieldError} from './field-error.js'

/** A JSON Schema (draft 2020-12 subset) as the generators tool returns it. */
export type JsonSchema = {[key: string]: unknown}

export type Mode = 'destroy' | 'generate'

/** One kind a generator makes: the options of its generate and destroy commands as JSON Schema. */
export interface GeneratorInfo {
  /** the command that reverses it, e.g. destroy:function, when there is one */
  destroyCommand?: string
  /** JSON Schema of the destroy command's options */
  destroyOptions?: JsonSchema
  description?: string
  examples: string[]
  /** the command, e.g. generate:function */
  generateCommand: string
  /** JSON Schema of the plan tool's arguments for this kind: name and options */
  inputSchema: JsonSchema
  kind: string
  /** the package it comes from: restack-gen, or a plugin's name */
  plugin: string
  summary?: string
}

/**
 * Flags that belong to the server, not to the agent: the plan is always a dry run with diffs and a
 * structured result, and verbose only changes printed lines.
 */
const SERVER_FLAGS = new Set(['diff', 'dry-run', 'help', 'json', 'verbose'])

type Flag = Command.Flag.Any & {max?: number; min?: number; parse?: (input: string, context: unknown, options: unknown) => Promise<unknown>}

/** Flags.integer's parser refuses "1.5" saying it expected an integer; Flags.string's takes anything. */
async function isInteger(flag: Flag): Promise<boolean> {
  if (flag.type !== 'option' || typeof flag.parse !== 'function') return false
  try {
    await flag.parse('1.5', {}, flag)
    return false
  } catch (error) {
    return /integer/i.test((error as Error).message)
  }
}

async function flagSchema(flag: Flag): Promise<JsonSchema> {
  const notes = [
    ...(flag.exclusive?.length ? [`not together with ${flag.exclusive.join(', ')}`] : []),
    ...(flag.dependsOn?.length ? [`needs ${flag.dependsOn.join(', ')}`] : []),
  ]
  const description = [flag.description, ...notes].filter(Boolean).join('; ')
  if (flag.type === 'boolean') return {description, type: 'boolean'}
  const one: JsonSchema = (await isInteger(flag))
    ? {type: 'integer', ...(flag.min === undefined ? {} : {minimum: flag.min}), ...(flag.max === undefined ? {} : {maximum: flag.max})}
    : {type: 'string', ...(flag.options ? {enum: flag.options} : {})}
  const schema: JsonSchema = flag.multiple ? {items: one, type: 'array'} : one
  if (flag.default !== undefined && typeof flag.default !== 'function') schema.default = flag.default
  return {description, ...schema}
}

/** The options a command takes from an agent, as a JSON Schema object. */
export async function optionsSchema(command: Command.Class): Promise<JsonSchema> {
  const properties: Record<string, JsonSchema> = {}
  for (const [name, flag] of Object.entries(command.flags ?? {})) {
    if (SERVER_FLAGS.has(name) || flag.hidden) continue
    properties[name] = await flagSchema(flag as Flag)
  }

  return {additionalProperties: false, properties, type: 'object'}
}

const kindsOf = (config: Config, mode: Mode): string[] =>
  config.commandIDs
    .filter((id) => id.startsWith(`${mode}:`))
    .map((id) => id.slice(mode.length + 1))
    .sort()

/** The kinds `restack generate` knows (core and installed plugins), in order. */
export const generatorKinds = (config: Config): string[] => kindsOf(config, 'generate')

/** The command class of `<mode>:<kind>`, or a FieldError on `kind` listing the kinds there are. */
export async function commandFor(config: Config, mode: Mode, kind: string): Promise<{command: Command.Class; id: string}> {
  const id = `${mode}:${kind}`
  const found = config.findCommand(id)
  if (!found) {
    const kinds = kindsOf(config, mode)
    const guess = closest(kind, kinds)
    throw new FieldError('kind', `${quote(kind)} is not a kind restack can ${mode}.${guess ? ` Did you mean ${quote(guess)}?` : ''} Kinds: ${kinds.join(', ')} (the generators tool lists them with their options).`)
  }

  return {command: await found.load(), id}
}

/** Every generator with its options, read from the commands' own flags (the same ones --help shows). */
export async function generatorCatalog(config: Config, only?: string): Promise<GeneratorInfo[]> {
  const kinds = only === undefined ? generatorKinds(config) : [only]
  const infos: GeneratorInfo[] = []
  for (const kind of kinds) {
    const {command, id} = await commandFor(config, 'generate', kind)
    const destroy = config.findCommand(`destroy:${kind}`)
    const nameArg = Object.values(command.args ?? {})[0]
    const examples = (command.examples ?? []).map((example) => (typeof example === 'string' ? example : example.command))
    infos.push({
      ...(destroy ? {destroyCommand: destroy.id, destroyOptions: await optionsSchema(await destroy.load())} : {}),
      description: command.description,
      examples: examples.map((example) => example.replaceAll('<%= config.bin %>', config.bin).replaceAll('<%= command.id %>', id.replaceAll(':', ' '))),
      generateCommand: id,
      inputSchema: {
        additionalProperties: false,
        properties: {
          kind: {const: kind, type: 'string'},
          name: {description: nameArg?.description ?? 'its name', type: 'string'},
          options: await optionsSchema(command),
        },
        required: ['kind', 'name'],
        type: 'object',
      },
      kind,
      plugin: command.plugin?.name ?? config.name,
      summary: command.summary,
    })
  }

  return infos
}

/**
 * The command line for an agent's options, checked against the command's flags first so that a bad
 * option is named as a field (`options.rate-limit`) rather than as a flag of a command line.
 */
export async function toArgv(command: Command.Class, name: string, options: Record<string, unknown>): Promise<string[]> {
  const flags = command.flags ?? {}
  const allowed = Object.keys(flags).filter((flag) => !SERVER_FLAGS.has(flag) && !flags[flag].hidden)
  const argv: string[] = []
  for (const [key, value] of Object.entries(options)) {
    const field = `options.${key}`
    const flag = allowed.includes(key) ? (flags[key] as Flag) : undefined
    if (!flag) {
      const guess = closest(key, allowed)
      throw new FieldError(field, `${quote(key)} is not an option of this generator.${guess ? ` Did you mean ${quote(guess)}?` : ''} Its options: ${allowed.join(', ') || 'none'}.`)
    }

    if (value === undefined || value === null) continue
    if (flag.type === 'boolean') {
      if (typeof value !== 'boolean') throw new FieldError(field, `${field} must be true or false, not ${JSON.stringify(value)}.`)
      if (value) argv.push(`--${key}`)
      else if (flag.allowNo) argv.push(`--no-${key}`)
      continue
    }

    const values = Array.isArray(value) ? value : [value]
    if (Array.isArray(value) && !flag.multiple) throw new FieldError(field, `${field} takes one value, not a list.`)
    for (const one of values) {
      if (typeof one !== 'string' && typeof one !== 'number') throw new FieldError(field, `${field} must be ${flag.multiple ? 'a string or a list of strings' : 'a string or a number'}, not ${JSON.stringify(one)}.`)
      if (flag.options && !flag.options.includes(String(one))) throw new FieldError(field, `${quote(String(one))} is not a value of ${field}: use one of ${flag.options.join(', ')}.`)
      // The flag's own parser (integers, their bounds): its complaint, named by the field.
      if (typeof flag.parse === 'function') {
        try {
          await flag.parse(String(one), {}, flag)
        } catch (error) {
          throw new FieldError(field, `${(error as Error).message.trim()}.`)
        }
      }

      argv.push(`--${key}=${one}`)
    }
  }

  // After "--", a name that starts with "-" is still a name.
  return [...argv, '--', name]
}
