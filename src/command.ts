import {Command, Errors, Flags, Interfaces, ux} from '@oclif/core'

import {isUserError} from './errors.js'
import {Reporter} from './engine/reporter.js'
import {askForArgs, missingArgs, usageError} from './usage.js'

/** A message with every secret of the environment and of the project around the cwd redacted (loaded only on an error). */
async function redactMessage(message: string): Promise<string> {
  const [{findProjectRoot}, {projectSecrets, redact}, {serviceEnv}] = await Promise.all([import('./engine/project.js'), import('./engine/redact.js'), import('./server/env.js')])
  try {
    const root = findProjectRoot(process.cwd())
    return redact(message, projectSecrets(root, root ? serviceEnv(root) : process.env))
  } catch {
    return redact(message, projectSecrets(undefined, process.env))
  }
}

/** Flags every command that writes files shares (DESIGN §4). */
export const writeFlags = {
  'dry-run': Flags.boolean({char: 'n', description: 'print what would change and write nothing'}),
  force: Flags.boolean({char: 'f', description: 'overwrite files that differ', exclusive: ['skip']}),
  skip: Flags.boolean({char: 's', description: 'keep files that differ and write the rest', exclusive: ['force']}),
  verbose: Flags.boolean({char: 'v', description: 'name the template used for each file'}),
}

// oclif's own constraints on parse(), which its index does not export.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FlagOutput = {[name: string]: any}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ArgOutput = {[name: string]: any}

/**
 * The base of every restack command: --json, one-paragraph errors, no stack traces unless DEBUG; a
 * missing argument is asked for on a terminal and a usage error elsewhere; "did you mean" for a flag.
 */
export abstract class RestackCommand extends Command {
  static override enableJsonFlag = true

  /** A person at a terminal who can answer a question (and did not ask for JSON). */
  protected get interactive(): boolean {
    return Boolean(process.stdin.isTTY && process.stdout.isTTY) && !this.jsonEnabled()
  }

  protected override async parse<F extends FlagOutput, B extends FlagOutput, A extends ArgOutput>(
    options?: Interfaces.Input<F, B, A>,
    argv: string[] = this.argv,
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    try {
      return await super.parse(options, argv)
    } catch (error) {
      const missing = missingArgs(error)
      if (missing && this.interactive) {
        const answers = await askForArgs(missing)
        // After "--" so that a flag taking several values cannot swallow an answer.
        return super.parse(options, [...argv, ...(argv.includes('--') ? [] : ['--']), ...answers])
      }

      throw usageError(error, this.config, this.ctor, this.id ?? this.ctor.id) ?? error
    }
  }

  override async catch(error: Interfaces.CommandError): Promise<unknown> {
    // Redaction by value: an error never prints a secret, whatever put it into the message.
    const hidden = await redactMessage(error.message)
    if (hidden !== error.message) error.message = hidden
    // A usage error stays one paragraph: its message ends "See more help with --help"; no help dump after it.
    if ((error as {showHelp?: boolean}).showHelp) (error as {showHelp?: boolean}).showHelp = false
    // An oclif error (it carries `oclif.exit`) from any copy of @oclif/core: a plugin command run through
    // `g <kind>` throws from the plugin's copy, not from the one bundled with this command.
    const shown = isUserError(error)
      ? (new Errors.CLIError(error.message, {exit: error.exitCode}) as Interfaces.CommandError)
      : error instanceof Errors.CLIError || (error as {oclif?: unknown}).oclif !== undefined || process.env.DEBUG
        ? error
        : (new Errors.CLIError(`${error.message} (this is unexpected; run again with DEBUG=restack* to see where it came from, and please report it)`, {exit: 1}) as Interfaces.CommandError)
    // With --json oclif exits 1 for every error; the same error exits with its own code without it (2 for usage).
    if (this.jsonEnabled()) process.exitCode ??= exitCodeOf(shown)
    return super.catch(shown)
  }

  /**
   * The --json error: its name, message, exit code, and oclif's code and suggestions when it has them. Never
   * the rest of the error: oclif's parse errors carry their parse context, the whole config (home, data dir,
   * every command), which oclif's default printed as ~180 KB of JSON.
   */
  protected override toErrorJson(error: unknown): unknown {
    if (!(error instanceof Error)) return {error: {exit: 1, message: String(error), name: 'Error'}}
    const {code, suggestions} = error as {code?: unknown; suggestions?: unknown}
    return {
      error: {
        ...(typeof code === 'string' ? {code} : {}),
        exit: exitCodeOf(error),
        message: error.message,
        name: error.name,
        ...(Array.isArray(suggestions) && suggestions.length > 0 ? {suggestions} : {}),
      },
    }
  }

  protected reporter(verbose = false): Reporter {
    const interactive = Boolean(process.stderr.isTTY) && !this.jsonEnabled()
    return {
      colorize: (color, text) => (process.stdout.isTTY ? ux.colorize(color, text) : text),
      log: (line) => this.log(line),
      notice: (line) => this.logToStderr(line),
      async progress(message, work) {
        if (!interactive) process.stderr.write(`${message}...\n`)
        else ux.action.start(message)
        const started = Date.now()
        try {
          const result = await work()
          const seconds = ((Date.now() - started) / 1000).toFixed(1)
          if (interactive) ux.action.stop(`done in ${seconds} s`)
          else process.stderr.write(`${message}: done in ${seconds} s\n`)
          return result
        } catch (error) {
          if (interactive) ux.action.stop('failed')
          else process.stderr.write(`${message}: failed\n`)
          throw error
        }
      },
      verbose,
    }
  }
}

/** The exit code an error ends the command with: oclif's `exit` when it has one, else 1. */
function exitCodeOf(error: unknown): number {
  const exit = (error as {oclif?: {exit?: unknown}}).oclif?.exit
  return typeof exit === 'number' ? exit : 1
}
