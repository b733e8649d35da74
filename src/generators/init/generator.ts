import {readdirSync} from 'node:fs'
import {basename, join, relative, resolve} from 'node:path'
import {stringify} from 'yaml'

import {DetectedService, detectServices, unresolvedServiceValues} from '../../ast/service-paths.js'
import {SERVICES_FILE} from '../../ast/services.js'
import {quote, UserError} from '../../errors.js'
import {sha256} from '../../engine/hash.js'
import {ADOPTED, LEDGER_PATH, Ledger, readLedger, serializeLedger} from '../../engine/ledger.js'
import {CONFIG_FILE, findProjectRoot} from '../../engine/project.js'
import {Tree} from '../../engine/tree.js'
import {planAgentFiles} from '../new/generator.js'
import {addDependency, PACKAGE_JSON} from '../../ast/package-json.js'
import {RUNTIME_DIR} from '../../runtime/alias.js'
import {listTemplates, renderTemplate} from '../../templates.js'
import {CLI_VERSION, TEMPORAL_VERSION} from '../../versions.js'

export type Runtime = 'bundled' | 'restackio'

export interface InitOptions {
  /** write AGENTS.md, how a coding agent grows the project (default true; never over a file of the user's) */
  agentsMd?: boolean
  cwd: string
  /** write .mcp.json, the MCP client configuration for restack mcp (default true; never over a file of the user's) */
  mcpJson?: boolean
  /** overrides what the dependencies say */
  runtime?: Runtime
}

/** What `restack init` found in an existing Restack project. */
export interface InitPlan {
  app: string
  /** the user's files, recorded in the ledger as theirs */
  adopted: string[]
  agentsMd: boolean
  defaultQueue: string
  mcpJson: boolean
  root: string
  runtime: Runtime
  services: DetectedService[]
}

const RESTACKIO = '@restackio/ai'

/** Folders that are not the user's source: dependencies, build output, version control, our own state. */
const SKIPPED_DIRS = new Set(['.git', '.restack', '.next', '.turbo', 'build', 'coverage', 'dist', 'lib', 'node_modules'])

/** Every file of the project that is the user's, as project-relative posix paths (secrets files excluded). */
function projectFiles(root: string): string[] {
  const files: string[] = []
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) visit(path)
      } else if (entry.isFile() && !(entry.name === '.env' || (entry.name.startsWith('.env.') && entry.name !== '.env.example'))) {
        files.push(relative(root, path).split('\\').join('/'))
      }
    }
  }

  visit(root)
  return files.sort()
}

const notRestack = (root: string, why: string): UserError =>
  new UserError(
    `${quote(root)} is not a Restack TypeScript project: ${why}. "restack init" adopts a project started from Restack's examples or boilerplate (a package.json and a src/services.ts that calls client.startService). Run it in such a project's root, or create a new project with "restack new my-agent"; nothing was written.`,
  )

/** Checks that the directory holds a Restack project that is not yet a restack-gen project; detects what it has. */
export function validateInit(options: InitOptions): InitPlan {
  const root = resolve(options.cwd)
  const existing = findProjectRoot(root)
  if (existing) {
    throw new UserError(
      `${quote(existing)} is already a restack project (it has ${CONFIG_FILE}), so there is nothing to adopt; nothing was written. Run "restack doctor" to check it, or "restack g <kind> <Name>" to grow it.`,
    )
  }

  const tree = new Tree(root)
  const pkgText = tree.read('package.json')
  if (pkgText === undefined) throw notRestack(root, 'it has no package.json')
  let pkg: {dependencies?: Record<string, string>; devDependencies?: Record<string, string>; name?: unknown}
  try {
    pkg = JSON.parse(pkgText)
  } catch (error) {
    throw new UserError(`package.json in ${quote(root)} is not valid JSON (${(error as Error).message}). Fix it, then run "restack init" again; nothing was written.`)
  }

  const source = tree.read(SERVICES_FILE)
  if (source === undefined) throw notRestack(root, `it has no ${SERVICES_FILE}`)
  const services = detectServices(source)
  if (services.length === 0) throw notRestack(root, `${SERVICES_FILE} has no startService({...}) call`)
  const unresolved = unresolvedServiceValues(source)
  if (unresolved.length > 0) {
    const found = unresolved.map(({key, line, text}) => `${key}: ${text.replaceAll(/\s+/g, ' ')} (line ${line})`).join('; ')
    const paths = unresolved.some(({key}) => key !== 'taskQueue')
    const queues = unresolved.some(({key}) => key === 'taskQueue')
    throw new UserError(
      `"restack init" cannot tell from ${SERVICES_FILE} ${paths ? 'which folder' : ''}${paths && queues ? ' and ' : ''}${queues ? 'which task queue' : ''} a startService uses: ${found}. It reads what Restack's examples write${paths ? ', a folder of the project as agentsPath: require.resolve("./agents") or path.join(__dirname, "workflows")' : ''}${queues ? ', and a queue as a string such as taskQueue: "todo-workflows"' : ''}, and would rather stop than guess, since the generators place units and services by it. Write ${unresolved.length === 1 ? 'that value' : 'those values'} in one of those forms (the folder holding the index.ts barrel, relative to ${SERVICES_FILE}), then run "restack init" again; nothing was written.`,
    )
  }

  if (tree.exists(LEDGER_PATH)) readLedger(tree) // a damaged ledger is refused, never overwritten

  const depends = Boolean(pkg.dependencies?.[RESTACKIO] ?? pkg.devDependencies?.[RESTACKIO])
  const unnamed = services.find((service) => service.taskQueue === undefined)
  // A startService without a queue runs on Restack's default, "restack"; else the first service's queue.
  const defaultQueue = unnamed ? 'restack' : services[0].taskQueue!
  if (!/^[\w.-]+$/.test(defaultQueue)) {
    // restack.yaml would not load (defaults.taskQueue has this pattern): every later command would fail on it.
    throw new UserError(
      `${SERVICES_FILE}'s first startService runs on the task queue ${quote(defaultQueue)}, which restack cannot take as the project's default queue (defaults.taskQueue in ${CONFIG_FILE}: letters, digits, ".", "-" and "_"). Rename that queue in ${SERVICES_FILE} (e.g. "restack"), then run "restack init" again; nothing was written.`,
    )
  }

  return {
    adopted: projectFiles(root),
    agentsMd: options.agentsMd ?? true,
    app: typeof pkg.name === 'string' && pkg.name !== '' ? pkg.name : basename(root),
    defaultQueue,
    mcpJson: options.mcpJson ?? true,
    root,
    runtime: options.runtime ?? (depends ? 'restackio' : 'bundled'),
    services,
  }
}

/** restack.yaml as init writes it: the marker, the defaults, and what it found in services.ts. */
export function configText(plan: InitPlan): string {
  const header = [
    '# restack.yaml marks a restack-gen project and holds generator defaults.',
    `# Written by "restack init" from what it found in this project; ${SERVICES_FILE} stays the source of truth.`,
  ]
  const body = stringify(
    {
      restack: 1,
      app: plan.app,
      runtime: plan.runtime,
      defaults: {taskQueue: plan.defaultQueue, pipelineLoopMax: 3},
      services: plan.services.map((service) => ({
        ...(service.taskQueue === undefined ? {} : {taskQueue: service.taskQueue}),
        ...(service.agentsPath === undefined ? {} : {agentsPath: service.agentsPath}),
        ...(service.workflowsPath === undefined ? {} : {workflowsPath: service.workflowsPath}),
        functions: service.functions,
      })),
    },
    {flowCollectionPadding: false},
  )
  return `${header.join('\n')}\n${body}`
}

/**
 * Plans restack.yaml, AGENTS.md and .mcp.json (each unless opted out or already the user's: those are
 * ours, recorded "by": "init", and no destroy removes them), and the ledger with the user's files
 * recorded as theirs; nothing of the user's changes.
 */
export async function planInit(tree: Tree, plan: InitPlan): Promise<void> {
  tree.create(CONFIG_FILE, configText(plan))
  await planAgentFiles(tree, {agentsMd: plan.agentsMd && !tree.exists('AGENTS.md'), appName: plan.app, mcpJson: plan.mcpJson && !tree.exists('.mcp.json')})
  if (plan.runtime === 'bundled') await planBundledRuntime(tree, plan.defaultQueue)
  const ledger: Ledger = readLedger(tree)
  for (const path of plan.adopted) {
    if (ledger.files[path]) continue
    ledger.files[path] = {by: ADOPTED, sha256: sha256(tree.read(path) ?? '')}
  }

  tree.create(LEDGER_PATH, serializeLedger(ledger))
}

/** The Temporal SDK packages the bundled runtime imports. */
const RUNTIME_PACKAGES = ['@temporalio/activity', '@temporalio/client', '@temporalio/common', '@temporalio/worker', '@temporalio/workflow']

/**
 * A bundled-runtime project needs src/restack/: when it has none, init writes it as "restack new" does,
 * with the Temporal SDK packages it imports that package.json lacks (at the versions "restack new" uses).
 */
async function planBundledRuntime(tree: Tree, taskQueue: string): Promise<void> {
  if (tree.exists(`${RUNTIME_DIR}/index.ts`)) return
  const context = {appName: 'app', cliVersion: CLI_VERSION, taskQueue, temporalVersion: TEMPORAL_VERSION}
  for (const template of listTemplates('new').filter((each) => each.startsWith(`new/${RUNTIME_DIR}/`))) {
    const file = await renderTemplate(template, context, tree.root)
    if (!tree.exists(file.path)) tree.create(file.path, file.content, file.template)
  }

  const versions = JSON.parse((await renderTemplate('new/package.json.hbs', context)).content).dependencies as Record<string, string>
  let pkg = tree.read(PACKAGE_JSON)!
  const declared = JSON.parse(pkg) as {dependencies?: Record<string, string>; devDependencies?: Record<string, string>}
  for (const name of RUNTIME_PACKAGES) if (!declared.dependencies?.[name] && !declared.devDependencies?.[name]) pkg = addDependency(pkg, name, versions[name])
  if (pkg !== tree.read(PACKAGE_JSON)) tree.update(PACKAGE_JSON, pkg)
}
