import {spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {core} from './core.js'

const RUNNER = fileURLToPath(new URL('../runner/tools.cjs', import.meta.url))

/**
 * Runs an operation of runner/tools.cjs inside the project, on the project's own src/tools code (its
 * config schema, manager and client), and returns the JSON it prints.
 */
export async function runInProject<T>(root: string, args: string[], timeoutMs = 120_000): Promise<T> {
  if (!existsSync(join(root, 'src/tools/manager.ts'))) {
    throw new core.UserError('This project has no tool servers yet (src/tools/manager.ts is missing). Generate one with "restack generate:tool-server <Name>".')
  }

  if (!existsSync(join(root, 'node_modules/@modelcontextprotocol/sdk')) || !existsSync(join(root, 'node_modules/tsx'))) {
    throw new core.UserError('The project\'s dependencies are not installed (node_modules/@modelcontextprotocol/sdk or tsx is missing). Run "npm install" in the project, then try again.')
  }

  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', RUNNER, ...args], {cwd: root, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs)
    child.on('error', reject)
    child.on('close', () => {
      clearTimeout(timer)
      const last = stdout.trim().split('\n').pop() ?? ''
      let parsed: {error?: string} & T
      try {
        parsed = JSON.parse(last)
      } catch {
        return reject(new core.UserError(`The tools runner gave no result. Its output:\n${(stderr || stdout).trim().slice(-2000)}`))
      }

      if (parsed.error !== undefined) reject(new core.UserError(parsed.error))
      else resolve(parsed)
    })
  })
}

export const projectRoot = (): string => core.loadProject(process.cwd()).root
