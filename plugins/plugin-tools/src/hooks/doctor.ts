// Doctor rules of @restack/plugin-tools (through the restack:doctor hook): config/tools.yaml is
// valid, every server's command resolves, and every server answers within its start timeout.
import {accessSync, constants, existsSync, readFileSync} from 'node:fs'
import {delimiter, isAbsolute, join, relative, resolve, sep} from 'node:path'
import {parse} from 'yaml'

import type {Core} from '../core.js'

const TOOLS_YAML = 'config/tools.yaml'

const hasTools = (root: string | undefined): root is string => root !== undefined && existsSync(join(root, TOOLS_YAML))
/** True when `path` (relative to the root) names the root or a folder under it. */
const insideProject = (root: string, path: string): boolean => {
  if (isAbsolute(path)) return false
  const rel = relative(root, resolve(root, path))
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}

const installed = (root: string): boolean => existsSync(join(root, 'node_modules/@modelcontextprotocol/sdk')) && existsSync(join(root, 'node_modules/tsx'))

function resolves(command: string, cwd: string, env: NodeJS.ProcessEnv): boolean {
  const executable = (path: string): boolean => {
    try {
      accessSync(path, constants.X_OK)
      return true
    } catch {
      return false
    }
  }

  if (command.includes('/')) return executable(isAbsolute(command) ? command : join(cwd, command))
  return (env.PATH ?? process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && executable(join(dir, command)))
}

const notInstalled = (code: string): Core.Finding => ({
  code,
  fix: 'Run "npm install" in the project.',
  message: `${TOOLS_YAML} can only be checked with the project's dependencies installed (@modelcontextprotocol/sdk, tsx).`,
  severity: 'warn',
})

export default async function toolsDoctorHook(): Promise<Core.Rule[]> {
  const {runInProject} = await import('../project-run.js')
  return [
    {
      description: `${TOOLS_YAML} is valid`,
      name: 'tools-config',
      async run({root}) {
        if (!hasTools(root)) return []
        if (!installed(root)) return [notInstalled('tools/not-installed')]
        try {
          await runInProject(root, ['validate'], 30_000)
          return []
        } catch (error) {
          return [{code: 'tools/config-invalid', fix: `Edit ${TOOLS_YAML} as the message says.`, message: (error as Error).message, severity: 'error'}]
        }
      },
      timeoutMs: 30_000,
    },
    {
      description: "every tool server's command resolves",
      name: 'tools-commands',
      run({env, root}) {
        if (!hasTools(root)) return []
        let servers: Record<string, {command?: unknown; cwd?: unknown; transport?: unknown}> = {}
        try {
          servers = (parse(readFileSync(join(root, TOOLS_YAML), 'utf8'))?.servers ?? {}) as typeof servers
        } catch {
          return [] // tools-config reports it
        }

        const findings: Core.Finding[] = []
        for (const [name, server] of Object.entries(servers ?? {})) {
          // A server's cwd stays inside the project (issue 12: registry paths stay inside their folder).
          if (typeof server?.cwd === 'string' && !insideProject(root, server.cwd)) {
            findings.push({
              code: 'tools/cwd-outside-project',
              fix: `Set servers.${name}.cwd in ${TOOLS_YAML} to a folder inside the project (relative to its root, e.g. "tools/${name}"), or remove it to start the server in the project's root.`,
              message: `The tool server "${name}" has cwd ${JSON.stringify(server.cwd)}, which is outside the project.`,
              severity: 'error',
            })
            continue
          }

          if (typeof server?.command !== 'string') continue
          const cwd = typeof server.cwd === 'string' ? join(root, server.cwd) : root
          if (!resolves(server.command, cwd, env)) {
            findings.push({
              code: 'tools/command-not-found',
              fix: `Install ${server.command}, or set servers.${name}.command in ${TOOLS_YAML} to a program on PATH or a path relative to the project.`,
              message: `The tool server "${name}" starts with "${server.command}", which is not on PATH.`,
              severity: 'error',
            })
          }
        }

        return findings
      },
    },
    {
      description: 'every tool server answers initialize + tools/list within its start timeout',
      name: 'tools-answer',
      async run({root}) {
        if (!hasTools(root)) return []
        if (!installed(root)) return []
        let health: {servers: Array<{lastError?: string; name: string; state: string}>}
        try {
          health = await runInProject(root, ['health'], 110_000)
        } catch {
          return [] // tools-config reports an invalid file
        }

        return health.servers
          .filter((server) => server.state !== 'ready')
          .map((server) => ({
            code: 'tools/not-ready',
            fix: `Run "restack tools:health ${server.name}" to see its output, fix the server, or raise servers.${server.name}.timeouts.startMs in ${TOOLS_YAML}.`,
            message: `The tool server "${server.name}" did not answer: ${server.lastError ?? server.state}.`,
            severity: 'error' as const,
          }))
      },
      timeoutMs: 120_000,
    },
  ]
}
