import {spawn} from 'node:child_process'

import {Rule} from '../rule.js'

/** Runs the project's own "npm run typecheck"; only with `restack doctor --typecheck`. */
export const typecheckRule: Rule = {
  description: 'the project type-checks (with --typecheck)',
  name: 'typecheck',
  needsProject: true,
  async run({project, typecheck}) {
    if (!typecheck) return []
    const {code, output} = await new Promise<{code: null | number; output: string}>((resolve) => {
      const child = spawn('npm', ['run', '--silent', 'typecheck'], {cwd: project!.root, stdio: ['ignore', 'pipe', 'pipe']})
      let text = ''
      child.stdout.on('data', (chunk) => (text += chunk))
      child.stderr.on('data', (chunk) => (text += chunk))
      child.on('error', () => resolve({code: 1, output: 'npm could not be started'}))
      child.on('close', (status) => resolve({code: status, output: text}))
    })
    if (code === 0) return []
    const errors = output.split('\n').filter((line) => /error TS\d+/.test(line))
    return [
      {
        code: 'typecheck/failed',
        fix: 'Run "npm run typecheck" in the project and fix what it reports.',
        message: `The project does not type-check: ${errors.length > 0 ? `${errors.length} error${errors.length === 1 ? '' : 's'}, the first: ${errors[0].trim()}` : output.trim().split('\n').slice(-3).join(' ')}`,
        severity: 'error',
      },
    ]
  },
  timeoutMs: 180_000,
}
