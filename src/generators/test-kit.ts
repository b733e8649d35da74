import {existsSync, readdirSync} from 'node:fs'

import {addDependency, addScript, addSection, hasSection, PACKAGE_JSON, removeDependency, removeEmptySection, removeScript} from '../ast/package-json.js'
import {quote, UserError} from '../errors.js'
import {ADOPTED, readLedger} from '../engine/ledger.js'
import {CONFIG_FILE} from '../engine/project.js'
import {Tree} from '../engine/tree.js'
import {renderTemplate} from '../templates.js'
import {CLI_VERSION, TEMPORAL_VERSION} from '../versions.js'

/**
 * The test kit that generated unit tests import: a project from "restack new" has it; an adopted
 * project gets it with its first generated test, and loses it again with its last one.
 */
export const KIT_HELPER = 'test/helpers/temporal.ts'

/** The kit's files, from the `new` templates; scripts/error-message.ts is the helper's own import. */
const KIT_FILES = ['test/helpers/temporal.ts', 'test/helpers/bundle.ts', 'test/helpers/workflows.ts', 'test/helpers/queues.ts', 'scripts/error-message.ts']
const MOCHARC = '.mocharc.json'
/** The devDependencies the kit needs, at the versions "restack new" writes. */
const KIT_DEV = ['@temporalio/testing', '@types/chai', '@types/mocha', 'chai', 'mocha', 'tsx']
const KIT_FROM_DEPENDENCIES = ['@temporalio/worker']
const TEST_SCRIPT = {command: 'mocha', name: 'test'}

/** restack.yaml's record of what the kit added to package.json, so that its removal takes back exactly that. */
export const TEST_KIT_KEY = 'testKit'
const RECORD = new RegExp(`^${TEST_KIT_KEY}: (\\[.*\\])\\n`, 'm')

async function kitVersions(): Promise<Map<string, string>> {
  const rendered = await renderTemplate('new/package.json.hbs', {appName: 'kit', cliVersion: CLI_VERSION, temporalVersion: TEMPORAL_VERSION})
  const pkg = JSON.parse(rendered.content) as {dependencies: Record<string, string>; devDependencies: Record<string, string>}
  return new Map([...KIT_DEV.map((name) => [name, pkg.devDependencies[name]] as const), ...KIT_FROM_DEPENDENCIES.map((name) => [name, pkg.dependencies[name]] as const)])
}

const declared = (source: string, name: string): boolean => {
  const pkg = JSON.parse(source) as {dependencies?: Record<string, string>; devDependencies?: Record<string, string>}
  return Boolean(pkg.dependencies?.[name] ?? pkg.devDependencies?.[name])
}

const hasMocharc = (tree: Tree): boolean =>
  tree.exists(MOCHARC) || (existsSync(tree.root) && readdirSync(tree.root).some((name) => name.startsWith('.mocharc.') || name === '.mocharc'))

/** The kit's single workflows module: it re-exports the agents and workflows barrels, those the project has. */
export const KIT_WORKFLOWS = 'test/helpers/workflows.ts'
const KIT_WORKFLOWS_TEMPLATE = `new/${KIT_WORKFLOWS}.hbs`
const BARRELS = {noAgents: 'src/agents/index.ts', noWorkflows: 'src/workflows/index.ts'} as const

/** Which barrels the project lacks, as the workflows module's template takes them. */
const barrelsOf = (tree: Tree): {noAgents: boolean; noWorkflows: boolean} => ({noAgents: !tree.exists(BARRELS.noAgents), noWorkflows: !tree.exists(BARRELS.noWorkflows)})

/**
 * Keeps the kit's workflows module in the project's shape: Restack's agent examples have no
 * src/workflows, and a module that re-exports a missing barrel fails the workflow bundle. When a
 * generator adds a barrel or destroy takes its last unit's barrel away, the module follows, as long
 * as it is one the kit renders (a module the user changed stays theirs).
 */
export async function syncKitWorkflows(tree: Tree): Promise<void> {
  const current = tree.read(KIT_WORKFLOWS)
  if (current === undefined) return
  const render = async (noAgents: boolean, noWorkflows: boolean) => (await renderTemplate(KIT_WORKFLOWS_TEMPLATE, {noAgents, noWorkflows}, tree.root)).content
  const variants = await Promise.all([false, true].flatMap((noAgents) => [false, true].map((noWorkflows) => render(noAgents, noWorkflows))))
  if (!variants.includes(current)) return
  const {noAgents, noWorkflows} = barrelsOf(tree)
  const next = await render(noAgents, noWorkflows)
  if (next !== current) tree.update(KIT_WORKFLOWS, next)
}

/** Plans the kit when the project lacks it: the helper files, .mocharc.json, devDependencies and a test script that are missing. */
export async function planTestKit(tree: Tree, taskQueue: string): Promise<void> {
  if (tree.exists(KIT_HELPER)) return
  const config = tree.read(CONFIG_FILE)
  if (config === undefined || RECORD.test(config)) return
  for (const path of KIT_FILES) {
    if (tree.exists(path)) continue
    const rendered = await renderTemplate(`new/${path}.hbs`, {...barrelsOf(tree), taskQueue}, tree.root)
    tree.create(path, rendered.content, rendered.template)
  }

  if (!hasMocharc(tree)) {
    const rendered = await renderTemplate('new/_mocharc.json.hbs', {}, tree.root)
    tree.create(MOCHARC, rendered.content, rendered.template)
  }

  let pkg = tree.read(PACKAGE_JSON)
  if (pkg === undefined) throw new UserError(`${quote(PACKAGE_JSON)} is missing, and the generated test needs its test dependencies there. Restore it, then run the command again; nothing was written.`)
  const added: string[] = []
  for (const section of ['devDependencies', 'scripts'] as const) {
    if (!hasSection(pkg, section)) {
      pkg = addSection(pkg, section)
      added.push(`section:${section}`)
    }
  }

  for (const [name, version] of await kitVersions()) {
    if (declared(pkg, name)) continue
    pkg = addDependency(pkg, name, version, true)
    added.push(`dev:${name}`)
  }

  const scripts = (JSON.parse(pkg) as {scripts?: Record<string, string>}).scripts ?? {}
  if (scripts[TEST_SCRIPT.name] === undefined) {
    pkg = addScript(pkg, TEST_SCRIPT.name, TEST_SCRIPT.command)
    added.push(`script:${TEST_SCRIPT.name}`)
  }

  if (pkg !== tree.read(PACKAGE_JSON)) tree.update(PACKAGE_JSON, pkg)
  tree.update(CONFIG_FILE, `${config}${config === '' || config.endsWith('\n') ? '' : '\n'}${TEST_KIT_KEY}: ${JSON.stringify(added)}\n`)
}

/**
 * Takes the kit back when restack.yaml records it and no test imports its helper any more: the files
 * restack wrote (the ledger decides at commit, as for any deletion), the package.json entries it added
 * (an entry the user changed stays), and the record.
 */
export async function removeTestKit(tree: Tree, importers: (path: string) => string[]): Promise<void> {
  const config = tree.read(CONFIG_FILE)
  const match = config === undefined ? undefined : RECORD.exec(config)
  // no record, no kit of ours; a test (outside the kit's own helpers) that imports the helper keeps it
  if (!match || importers(KIT_HELPER).some((file) => !file.startsWith('test/helpers/'))) return
  const ledger = readLedger(tree)
  for (const path of [...KIT_FILES, MOCHARC]) {
    const entry = ledger.files[path]
    if (!tree.exists(path) || !entry || entry.by === ADOPTED || entry.by === 'new') continue
    // scripts/error-message.ts stays while a generated script still imports it
    if (path.startsWith('scripts/') && importers(path).some((file) => !file.startsWith('test/helpers/'))) continue
    tree.delete(path)
  }

  const added = JSON.parse(match[1]) as string[]
  const versions = await kitVersions()
  let pkg = tree.read(PACKAGE_JSON)
  if (pkg !== undefined) {
    for (const item of added) {
      const [what, name] = item.split(/:(.*)/s)
      if (what === 'dev') pkg = removeDependency(pkg, name, versions.get(name) ?? '', true)
      if (what === 'script' && name === TEST_SCRIPT.name) pkg = removeScript(pkg, name, TEST_SCRIPT.command)
    }

    for (const item of added) if (item.startsWith('section:')) pkg = removeEmptySection(pkg, item.slice('section:'.length) as 'devDependencies' | 'scripts')
    if (pkg !== tree.read(PACKAGE_JSON)) tree.update(PACKAGE_JSON, pkg)
  }

  tree.update(CONFIG_FILE, config!.slice(0, match.index) + config!.slice(match.index + match[0].length))
}
