import type {Command, Config} from '@oclif/core'

import {closest} from './engine/suggest.js'
import {quote, UserError} from './errors.js'

/** What oclif's parser reports when arguments are missing or a flag does not exist (its error classes are not exported). */
type ParseError = Error & {args?: Array<{description?: string; name: string}>; flags?: string[]}

/** The arguments a command was run without, when that is what `error` says; else undefined. */
export function missingArgs(error: unknown): Array<{description?: string; name: string}> | undefined {
  const parseError = error as ParseError
  return error instanceof Error && Array.isArray(parseError.args) && parseError.message.startsWith('Missing') ? parseError.args : undefined
}

/** `generate:agent` -> `restack generate agent`, the way a user types it. */
export const commandLine = (config: Config, id: string): string => `${config.bin} ${id.replaceAll(':', ' ')}`

function example(config: Config, command: Command.Class, id: string): string | undefined {
  const first = command.examples?.[0]
  const text = typeof first === 'string' ? first : first?.command
  return text?.replaceAll('<%= config.bin %>', config.bin).replaceAll('<%= command.id %>', id.replaceAll(':', ' '))
}

/**
 * One paragraph for a missing argument or an unknown flag, naming it, the fix and where the help is
 * (exit 2, a usage error); undefined for any other error.
 */
export function usageError(error: unknown, config: Config, command: Command.Class, id: string): UserError | undefined {
  const line = commandLine(config, id)
  const missing = missingArgs(error)
  if (missing) {
    const names = missing.map((arg) => `a ${arg.name}${arg.description ? ` (${arg.description})` : ''}`).join(' and ')
    const sample = example(config, command, id)
    return new UserError(`"${line}" needs ${names}.${sample ? ` For example: "${sample}".` : ''} "${line} --help" lists its flags.`, 2)
  }

  const unknown = (error as ParseError).flags
  if (error instanceof Error && Array.isArray(unknown) && error.message.startsWith('Nonexistent flag')) {
    const known = Object.entries(command.flags ?? {})
      .filter(([, flag]) => !flag.hidden)
      .map(([name]) => `--${name}`)
    if (command.enableJsonFlag && !known.includes('--json')) known.push('--json')
    const guesses = unknown.map((flag) => closest(flag.split('=')[0], known))
    const guess = guesses.find(Boolean)
    return new UserError(
      `${unknown.map((flag) => quote(flag)).join(', ')} ${unknown.length === 1 ? 'is not a flag' : 'are not flags'} of "${line}".${guess ? ` Did you mean ${quote(guess)}?` : ''} Its flags: ${known.join(', ')} ("${line} --help" says what each does).`,
      2,
    )
  }

  return undefined
}

/** Asks on the terminal for each missing argument, in order; an empty answer is asked again. */
export async function askForArgs(args: Array<{description?: string; name: string}>): Promise<string[]> {
  const {default: input} = await import('@inquirer/input')
  const answers: string[] = []
  for (const arg of args) {
    // eslint-disable-next-line no-await-in-loop
    const answer = await input({
      message: `${arg.name[0].toUpperCase()}${arg.name.slice(1)}${arg.description ? ` (${arg.description})` : ''}?`,
      validate: (value) => value.trim() !== '' || `Type a ${arg.name}, or press Ctrl-C to stop.`,
    })
    answers.push(answer.trim())
  }

  return answers
}
