import {spawn, spawnSync, SpawnSyncReturns} from 'node:child_process'
import Module from 'node:module'
import {fileURLToPath} from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

/** Node 22.1+ has its own compile cache, which bin/run.js uses instead of bin/code-cache.cjs. */
export const NODE_HAS_COMPILE_CACHE = Boolean((Module as {enableCompileCache?: unknown}).enableCompileCache)

export interface CliResult {
  status: number | null
  stderr: string
  stdout: string
}

/** Runs the built CLI (`bin/run.js`) the way a user does, without a TTY. */
export function runCli(args: string[], options: {cwd: string; env?: NodeJS.ProcessEnv; prefix?: string[]}): CliResult {
  const [command, ...rest] = [...(options.prefix ?? []), process.execPath, BIN, ...args]
  const result: SpawnSyncReturns<string> = spawnSync(command, rest, {
    cwd: options.cwd,
    encoding: 'utf8',
    env: {...process.env, ...options.env},
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
  })
  return {status: result.status, stderr: result.stderr, stdout: result.stdout}
}

/** Runs a command to completion, failing with its output when it exits non-zero. */
export async function run(command: string, args: string[], options: {cwd: string; env?: NodeJS.ProcessEnv}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {cwd: options.cwd, env: {...process.env, ...options.env}, stdio: ['ignore', 'pipe', 'pipe']})
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${output.slice(-4000)}`))))
  })
}

/**
 * An oclif error message as one line, as a person reads it: oclif wraps it at the terminal width behind
 * " ›   " marks, and colours parts of it where it thinks colour works (CI=true counts).
 */
export const errorText = (stderr: string): string =>
  stderr
    .replaceAll(/\u001B\[[\d;]*m/g, '')
    .split('\n')
    .map((line) => line.replace(/^\s*›\s{0,3}/, ''))
    .join(' ')
    .replaceAll(/\s+/g, ' ')
    .trim()

/** One paragraph: no blank line inside the message, as DESIGN §9 asks. */
export const isOneParagraph = (text: string): boolean => !/\n\s*\n/.test(text.trim())

/** `cli` and `ok` (which expects exit 0) for tests that run the CLI in one project, named by `cwd()`. */
export function cliIn(cwd: () => string): {cli: (...args: string[]) => CliResult; ok: (...args: string[]) => CliResult} {
  const cli = (...args: string[]): CliResult => runCli(args, {cwd: cwd()})
  const ok = (...args: string[]): CliResult => {
    const result = cli(...args)
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`)
    return result
  }

  return {cli, ok}
}
