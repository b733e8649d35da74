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
  const code = await new Promise<number | string>((resolvePromise) => {
    const child = spawn(npm, args, {cwd: root, stdio: ['ignore', 'pipe', 'pipe']})
    const keep = (chunk: Buffer): void => {
      tail.push(...chunk.toString('utf8').split('\n').filter((line) => line.trim() !== '' && !line.includes('Unknown user config')))
      tail.splice(0, Math.max(0, tail.length - TAIL_LINES))
    }

    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    child.on('error', (error) => resolvePromise((error as NodeJS.ErrnoException).code ?? error.message))
    child.on('close', (status, signal) => resolvePromise(status ?? signal ?? 1))
  })
  if (code === 0) return
  const why = code === 'ENOENT' ? 'npm was not found on PATH' : `npm install exited with ${code}${tail.length > 0 ? `: ${tail.join(' / ')}` : ''}`
  throw new UserError(
    `The project was created, but installing its dependencies failed (${why}). The project files are in place; finish by hand with "cd ${directory} && npm install"${registry ? ` (registry ${quote(registry)})` : ''}, then "npm test".`,
  )
}
