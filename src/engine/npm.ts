import {spawn} from 'node:child_process'

import {quote, UserError} from '../errors.js'

export interface InstallOptions {
  /** npm registry URL; RESTACK_NPM_REGISTRY overrides the user's npm config when set */
  registry?: string
}

const TAIL_LINES = 12

/** Runs `npm install` in `root`; on failure the error quotes npm's last lines and says how to finish by hand. */
export async function npmInstall(root: string, directory: string, options: InstallOptions = {}): Promise<void> {
  const args = ['install', '--no-audit', '--no-fund']
  const registry = options.registry ?? process.env.RESTACK_NPM_REGISTRY
  if (registry) args.push('--registry', registry)
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const tail: string[] = []
  let interrupted: NodeJS.Signals | undefined
  const code = await new Promise<number | string>((resolvePromise) => {
    // npm runs in a process group of its own, so that an interrupted `restack new` stops npm and
    // everything npm started (lifecycle scripts, node-gyp) instead of leaving them running.
    const child = spawn(npm, args, {cwd: root, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe']})
    const stopGroup = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(process.platform === 'win32' ? child.pid : -child.pid, signal)
      } catch {
        // already gone
      }
    }

    const onSignal = (signal: NodeJS.Signals): void => {
      interrupted = signal
      stopGroup('SIGTERM')
      // npm gets a moment to stop its own children; then the group is killed outright.
      setTimeout(() => stopGroup('SIGKILL'), 3000).unref()
    }

    const onExit = (): void => stopGroup('SIGKILL')
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']
    for (const signal of signals) process.on(signal, onSignal)
    process.on('exit', onExit)
    child.on('close', () => {
      for (const signal of signals) process.off(signal, onSignal)
      process.off('exit', onExit)
    })
    const keep = (chunk: Buffer): void => {
      tail.push(...chunk.toString('utf8').split('\n').filter((line) => line.trim() !== '' && !line.includes('Unknown user config')))
      tail.splice(0, Math.max(0, tail.length - TAIL_LINES))
    }

    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    child.on('error', (error) => resolvePromise((error as NodeJS.ErrnoException).code ?? error.message))
    child.on('close', (status, signal) => resolvePromise(status ?? signal ?? 1))
  })
  if (interrupted) {
    process.exitCode = interrupted === 'SIGINT' ? 130 : interrupted === 'SIGHUP' ? 129 : 143
    throw new UserError(
      `Interrupted (${interrupted}) while installing dependencies: npm install was stopped, and nothing it started is left running. The project files are in place; finish with "cd ${directory} && npm install", then "npm test".`,
      process.exitCode,
    )
  }

  if (code === 0) return
  const why = code === 'ENOENT' ? 'npm was not found on PATH' : `npm install exited with ${code}${tail.length > 0 ? `: ${tail.join(' / ')}` : ''}`
  throw new UserError(
    `The project was created, but installing its dependencies failed (${why}). The project files are in place; finish by hand with "cd ${directory} && npm install"${registry ? ` (registry ${quote(registry)})` : ''}, then "npm test".`,
  )
}
