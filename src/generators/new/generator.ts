import {existsSync, readdirSync, statSync} from 'node:fs'
import {basename, dirname, resolve} from 'node:path'
import validateNpmName from 'validate-npm-package-name'

import {quote, UserError} from '../../errors.js'
import {splitWords} from '../../engine/names.js'
import {Tree} from '../../engine/tree.js'
import {renderKind} from '../../templates.js'
import {emitFor, Runtime} from '../../runtime/imports.js'
import {useRestackio} from '../../runtime/switch.js'
import {CLI_VERSION, TEMPORAL_VERSION} from '../../versions.js'

export interface NewOptions {
  /** write AGENTS.md, how a coding agent grows the project (default true) */
  agentsMd?: boolean
  app: string
  cwd: string
  force?: boolean
  /** write .mcp.json, the MCP client configuration for restack mcp (default true) */
  mcpJson?: boolean
  /** where generated code gets Restack's API (restack.yaml: runtime); default bundled */
  runtime?: Runtime
  taskQueue?: string
}

export interface NewPlan {
  agentsMd: boolean
  app: string
  /** the directory name, relative to cwd */
  directory: string
  mcpJson: boolean
  root: string
  runtime: Runtime
  taskQueue: string
}

const suggestName = (app: string): string => splitWords(basename(app.replaceAll(/[^A-Za-z\d\s_-]/g, ' '))).join('-') || 'my-agent'

/** The directory an app is created in: a scoped package name (@scope/name) drops its scope. */
export const directoryOf = (app: string): string => (app.startsWith('@') ? app.slice(app.indexOf('/') + 1) : app)

/** Checks the app name, the task queue and the target directory; returns what to create where. */
export function validateNew(options: NewOptions): NewPlan {
  const {app} = options
  const verdict = validateNpmName(app)
  const problems = [...(verdict.errors ?? []), ...(verdict.warnings ?? [])]
  if (app.trim() === '') {
    throw new UserError('The app name is empty: give one, e.g. "restack new my-agent".')
  }

  if (problems.length > 0) {
    throw new UserError(
      `${quote(app)} is not a valid app name: ${problems.join('; ')}. The name becomes the npm package name and the directory name, so use lower case, digits and "-", e.g. ${quote(suggestName(app))}.`,
    )
  }

  const taskQueue = options.taskQueue ?? 'restack'
  if (!/^[\w.-]+$/.test(taskQueue)) {
    throw new UserError(`${quote(taskQueue)} is not a valid task queue: use letters, digits, ".", "-" and "_", e.g. "restack" or "support-agents".`)
  }

  const directory = directoryOf(app)
  const root = resolve(options.cwd, directory)
  if (existsSync(root)) {
    if (!statSync(root).isDirectory()) {
      throw new UserError(`${quote(root)} exists and is a file, not a directory. Choose another app name or move the file away.`)
    }

    const held = ['restack.yaml', 'package.json', 'src/services.ts'].filter((file) => existsSync(resolve(root, file)))
    if (held.length > 0 && !options.force) {
      throw new UserError(
        `The directory ${quote(directory)} already holds a project (${held.join(', ')}), and "restack new" would overwrite its files. To use restack in that project, run "restack init" in it${held.includes('restack.yaml') ? ' (it is already a restack project: just run "restack doctor" or "restack g <kind> <Name>" there)' : ''}; to replace it anyway, pass --force, which lists every file it replaces before writing (--dry-run shows them without writing).`,
      )
    }

    if (readdirSync(root).length > 0 && !options.force) {
      throw new UserError(
        `The directory ${quote(directory)} already exists and is not empty. Choose another app name, or pass --force to generate into it (files that differ are overwritten; --dry-run shows which).`,
      )
    }
  } else if (!existsSync(dirname(root))) {
    throw new UserError(`The parent directory ${quote(dirname(root))} does not exist. Create it first or run "restack new" from an existing directory.`)
  }

  const runtime = options.runtime ?? 'bundled'
  if (runtime !== 'bundled' && runtime !== 'restackio') {
    throw new UserError(`${quote(runtime)} is not a runtime: use "bundled" (the src/restack/ runtime on the Temporal SDK) or "restackio" (Restack's @restackio/ai package).`)
  }

  return {agentsMd: options.agentsMd ?? true, app, directory, mcpJson: options.mcpJson ?? true, root, runtime, taskQueue}
}

/**
 * The name of the app's image, compose project and Kubernetes objects: a DNS label (lower-case
 * letters, digits and "-", at most 63 characters), made from the directory name.
 */
export const deployName = (app: string): string =>
  directoryOf(app)
    .toLowerCase()
    .replaceAll(/[^a-z\d-]+/g, '-')
    .replaceAll(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '') || 'restack-service'

/** Writes the whole project of DESIGN §5 into the tree. */
export async function planNew(tree: Tree, plan: NewPlan): Promise<void> {
  const context = {appName: plan.app, cliVersion: CLI_VERSION, deployName: deployName(plan.app), runtime: plan.runtime, taskQueue: plan.taskQueue, temporalVersion: TEMPORAL_VERSION}
  for (const file of await renderKind('new', context)) tree.create(file.path, file.content, file.template)
  if (plan.runtime === 'restackio') useRestackio(tree)
  emitFor(tree, plan.runtime)
  await planAgentFiles(tree, {agentsMd: plan.agentsMd, appName: plan.app, mcpJson: plan.mcpJson})
}

/**
 * AGENTS.md (how a coding agent grows the project: generators, doctor, tests) and .mcp.json (an MCP
 * client configuration that starts "restack mcp"), each unless opted out: for restack new, and for
 * any command that adopts a project.
 */
export async function planAgentFiles(tree: Tree, options: {agentsMd: boolean; appName: string; mcpJson: boolean}): Promise<void> {
  const wanted = new Set([...(options.agentsMd ? ['AGENTS.md'] : []), ...(options.mcpJson ? ['.mcp.json'] : [])])
  for (const file of await renderKind('agents', {appName: options.appName})) if (wanted.has(file.path)) tree.create(file.path, file.content, file.template)
}
