import {spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {Rule} from '../rule.js'

/** tsc's "file(line,col): error TSnnnn: message" as "file:line:col TSnnnn message". */
export function typeErrors(output: string): string[] {
  return output
    .split('\n')
    .map((line) => line.trim().match(/^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/))
    .filter((match): match is RegExpMatchArray => match !== null)
    .map(([, file, line, column, code, message]) => `${file}:${line}:${column} ${code} ${message}`)
}

/**
 * Runs the project's own "npm run typecheck": with --typecheck, and by default whenever the
 * project's dependencies are installed (node_modules/typescript exists), under the rule's timeout.
 * RESTACK_DOCTOR_TYPECHECK=0 turns the default off.
 */
export const typecheckRule: Rule = {
  description: 'the project type-checks (by default when its dependencies are installed)',
  name: 'typecheck',
  needsProject: true,
  async run({project, typecheck}) {
    const installed = existsSync(join(project!.root, 'node_modules', 'typescript', 'package.json'))
    if (!typecheck && (!installed || process.env.RESTACK_DOCTOR_TYPECHECK === '0')) return []
    const {code, output} = await new Promise<{code: null | number; output: string}>((resolve) => {
      const child = spawn('npm', ['run', '--silent', 'typecheck'], {cwd: project!.root, stdio: ['ignore', 'pipe', 'pipe']})
      let text = ''
      child.stdout.on('data', (chunk) => (text += chunk))
      child.stderr.on('data', (chunk) => (text += chunk))
      child.on('error', () => resolve({code: 1, output: 'npm could not be started'}))
      child.on('close', (status) => resolve({code: status, output: text}))
    })
    if (code === 0) return []
    const errors = typeErrors(output)
    const shown = errors.slice(0, 5).join('; ')
    return [
      {
        code: 'typecheck/failed',
        fix: 'Fix the code at those lines; "npm run typecheck" in the project lists every error.',
        message: `The project does not type-check: ${errors.length > 0 ? `${errors.length} error${errors.length === 1 ? '' : 's'}: ${shown}${errors.length > 5 ? '; ...' : ''}` : output.trim().split('\n').slice(-3).join(' ')}`,
        severity: 'error',
      },
    ]
  },
  timeoutMs: 120_000,
}
