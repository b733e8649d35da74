import {existsSync, readdirSync} from 'node:fs'
import {join, posix, relative} from 'node:path'

import {addBarrelExport, removeBarrelExport} from '../ast/barrel.js'
import {addDependency, addScript, PACKAGE_JSON, removeDependency, removeScript} from '../ast/package-json.js'
import {parseModule} from '../ast/parse.js'
import {addQueue, QUEUES_FILE, removeQueue} from '../ast/queues.js'
import {FunctionRegistration, functionQueues, registerFunction, SERVICES_FILE, unregisterFunction} from '../ast/services.js'
import {ensureUnitService, removeUnitService, UnitKind, unitServiceOwner} from '../ast/unit-services.js'
import {quote, UserError} from '../errors.js'
import {ADOPTED, readLedger} from '../engine/ledger.js'
import {removeUnitQueue, setUnitQueue, unitQueues} from '../engine/unit-queues.js'
import {projectFileRole} from '../engine/entities.js'
import {CONFIG_FILE} from '../engine/project.js'
import {Tree} from '../engine/tree.js'
import {Predicate, predicatesFile} from '../pipeline/codegen.js'
import {PipelineEntry, removePipeline, setPipeline} from '../pipeline/config.js'
import {exportedFunctions} from '../pipeline/predicates.js'
import {renderTemplate} from '../templates.js'
import {planTestKit, removeTestKit, syncKitWorkflows} from './test-kit.js'

/**
 * What a generator declares, Rails-style. Each declaration knows how to apply itself and how to
 * revoke itself, so destroy runs the very same list backwards: there is no second code path.
 */
export type Declaration =
  | {barrel: string; module: string; type: 'barrel'}
  | {command: string; name: string; type: 'script'}
  | {dev?: boolean; name: string; type: 'dependency'; version: string}
  | {content: string; path: string; type: 'file'}
  | {context?: object; path: string; template: string; /** a plugin's own templates folder */ templatesDir?: string; type: 'template'}
  | {entry: PipelineEntry; name: string; type: 'pipeline'}
  /** a version of a prompt in config/prompts.yaml, with the prompt's test; destroy without a version removes them all */
  | {file?: string; name: string; type: 'prompt'; version?: string}
  | {queue: string; type: 'queue'}
  /**
   * A shared helper file that generated code imports, from the `new` templates (`new/<template>`):
   * created when the project lacks it (an adopted project, an older one), never replaced or deleted.
   */
  | {path: string; template: string; type: 'support'}
  /**
   * The test kit a unit's generated test imports (test/helpers/*, .mocharc.json, the test devDependencies and
   * script): planned when the project lacks it (an adopted one), taken back by destroy with the last test that imports it.
   */
  | {taskQueue: string; type: 'test-kit'}
  /** a pipeline's user-owned predicates file: created once, then only appended to; destroy deletes it */
  | {exportName: string; path: string; predicates: Predicate[]; type: 'predicates'}
  | {registration: FunctionRegistration; type: 'function'}
  /** a worker for the unit: a startService running its folder on its queue (added when none does), and its queue in restack.yaml when not the default */
  | {defaultQueue: string; kind: UnitKind; name: string; taskQueue?: string; type: 'unit-service'}

export type Mode = 'destroy' | 'generate'

/** Barrels a generator may create when the project has none, and remove again with their last unit. */
const CREATABLE_BARRELS = new Set(['src/agents/index.ts', 'src/workflows/index.ts'])

/** The support files generated scripts and pipelines import (see the 'support' declaration). */
export const ERROR_MESSAGE = {path: 'scripts/error-message.ts', template: 'new/scripts/error-message.ts.hbs'}
export const PIPELINE_DATA = {path: 'src/pipelines/pipeline-data.ts', template: 'new/src/pipelines/pipeline-data.ts.hbs'}

function edit(tree: Tree, path: string, change: (source: string) => string, missing: string): void {
  const source = tree.read(path)
  if (source === undefined) throw new UserError(missing)
  const next = change(source)
  if (next === source) return
  // The edit must leave a file that still parses; a failure here is our bug, never the user's.
  if (path.endsWith('.ts')) parseModule(next, path)
  tree.update(path, next)
}

const missingFile = (path: string): string =>
  `${quote(path)} is missing, and registration edits it. Restore it (a fresh "restack new" has it), then run the command again; nothing was written.`

/** Project files (outside node_modules) that import a module by its base name, counting the tree's pending changes. */
function importers(tree: Tree, path: string): string[] {
  const base = posix.basename(path).replace(/\.ts$/, '')
  return filesMatching(tree, new RegExp(`from\\s+["'][^"']*/${base}["']`), path)
}

/** Project files that import a package (or a subpath of it), counting the tree's pending changes. */
function packageImporters(tree: Tree, name: string): string[] {
  const quoted = `["']${name.replaceAll(/[.*+?^${}()|[\]\\/]/g, String.raw`\$&`)}(?:/[^"']*)?["']`
  return filesMatching(tree, new RegExp(`(?:from\\s+|import\\s*\\(\\s*|require\\s*\\(\\s*|import\\s+)${quoted}`))
}

/** Files under scripts/, src/ and test/ (on disk or created, not pending deletion, not `except`) whose text matches. */
function filesMatching(tree: Tree, pattern: RegExp, except?: string): string[] {
  const pending = new Map(tree.changes().map((change) => [change.path, change]))
  const found: string[] = []
  for (const dir of ['scripts', 'src', 'test']) {
    const absolute = join(tree.root, dir)
    const onDisk = existsSync(absolute) ? readdirSync(absolute, {recursive: true, withFileTypes: true}).filter((entry) => entry.isFile()).map((entry) => posix.join(dir, relative(absolute, join(entry.parentPath, entry.name)).split('\\').join('/'))) : []
    const created = [...pending.keys()].filter((file) => file.startsWith(`${dir}/`))
    for (const file of new Set([...onDisk, ...created])) {
      if (file === except || !file.endsWith('.ts') || pending.get(file)?.intent === 'delete') continue
      if (pattern.test(tree.read(file) ?? '')) found.push(file)
    }
  }

  return found
}

export async function apply(tree: Tree, declarations: Declaration[], mode: Mode, context: object): Promise<void> {
  await applyEach(tree, declarations, mode, context)
  // a barrel added or taken away: the test kit's one workflows module re-exports what is there
  if (declarations.some((declaration) => declaration.type === 'barrel')) await syncKitWorkflows(tree)
  if (mode !== 'destroy') return
  // A dependency leaves with the unit that declared it unless a file that stays still imports it (two plugins'
  // units both need zod: destroying one must not take it from the other), so this runs after the unit's files are gone.
  for (const declaration of declarations) {
    if (declaration.type !== 'dependency' || packageImporters(tree, declaration.name).length > 0) continue
    const {dev, name, version} = declaration
    edit(tree, PACKAGE_JSON, (source) => removeDependency(source, name, version, dev), missingFile(PACKAGE_JSON))
  }
  if (declarations.some((declaration) => declaration.type === 'test-kit')) await removeTestKit(tree, (path) => importers(tree, path))

  // A support file goes with the last generated file that imports it (so that destroy gives back an adopted project's bytes),
  // and only when restack wrote it and nobody changed it: the ledger decides, as for any deletion.
  const ledger = readLedger(tree)
  for (const declaration of declarations) {
    if (declaration.type !== 'support' || !tree.exists(declaration.path)) continue
    const entry = ledger.files[declaration.path]
    // Written by "restack new" (by: new), it is part of the project; written on demand by a unit's generator, it leaves with the last user.
    if (!entry || entry.by === ADOPTED || entry.by === 'new' || importers(tree, declaration.path).length > 0) continue
    tree.delete(declaration.path)
  }
}

async function applyEach(tree: Tree, declarations: Declaration[], mode: Mode, context: object): Promise<void> {
  const ordered = mode === 'generate' ? declarations : [...declarations].reverse()
  for (const declaration of ordered) {
    switch (declaration.type) {
      case 'barrel': {
        const {barrel, module} = declaration
        // A project without the kind's barrel (Restack's agent examples have no src/workflows) gets one; destroy removes it with its last unit.
        if (mode === 'generate' && !tree.exists(barrel) && CREATABLE_BARRELS.has(barrel)) tree.create(barrel, '')
        if (mode === 'destroy' && !tree.exists(barrel) && CREATABLE_BARRELS.has(barrel)) break
        edit(tree, barrel, (source) => (mode === 'generate' ? addBarrelExport(source, barrel, module) : removeBarrelExport(source, barrel, module)), missingFile(barrel))
        const entry = readLedger(tree).files[barrel]
        if (mode === 'destroy' && CREATABLE_BARRELS.has(barrel) && tree.read(barrel)!.trim() === '' && entry && entry.by !== ADOPTED) tree.delete(barrel)
        break
      }

      case 'unit-service': {
        // restack.yaml's unitQueues records each unit that a generated service runs, so that destroy removes
        // that service with the last unit that needs it; units a service of the user's runs are not recorded.
        const {defaultQueue, kind, name} = declaration
        const unit = `${kind}:${name}`
        if (mode === 'generate') {
          const queue = declaration.taskQueue ?? defaultQueue
          const owner = unitServiceOwner(tree.read(SERVICES_FILE) ?? '', kind, queue, defaultQueue)
          if (owner !== 'user') edit(tree, CONFIG_FILE, (source) => setUnitQueue(source, unit, queue), missingFile(CONFIG_FILE))
          edit(tree, SERVICES_FILE, (source) => ensureUnitService(source, kind, queue, defaultQueue), missingFile(SERVICES_FILE))
          break
        }

        const queue = unitQueues(tree.read(CONFIG_FILE) ?? '').get(unit)
        if (queue === undefined) break
        edit(tree, CONFIG_FILE, (source) => removeUnitQueue(source, unit), missingFile(CONFIG_FILE))
        const others = [...unitQueues(tree.read(CONFIG_FILE) ?? '')].some(([other, otherQueue]) => other.startsWith(`${kind}:`) && otherQueue === queue)
        if (!others && tree.exists(SERVICES_FILE)) edit(tree, SERVICES_FILE, (source) => removeUnitService(source, kind, queue, defaultQueue), missingFile(SERVICES_FILE))
        break
      }

      case 'function': {
        const {registration} = declaration
        edit(
          tree,
          SERVICES_FILE,
          (source) => (mode === 'generate' ? registerFunction(source, registration) : unregisterFunction(source, registration.name, registration.defaultQueue)),
          missingFile(SERVICES_FILE),
        )
        break
      }

      case 'dependency': {
        // Destroy removes dependencies in apply(), once the unit's own files are gone.
        const {dev, name, version} = declaration
        if (mode === 'generate') edit(tree, PACKAGE_JSON, (source) => addDependency(source, name, version, dev), missingFile(PACKAGE_JSON))
        break
      }

      case 'queue': {
        const {queue} = declaration
        if (mode === 'generate') {
          if (!tree.exists(QUEUES_FILE)) tree.create(QUEUES_FILE, (await renderTemplate('new/test/helpers/queues.ts.hbs', {}, tree.root)).content)
          edit(tree, QUEUES_FILE, (source) => addQueue(source, queue), missingFile(QUEUES_FILE))
          break
        }

        // Destroy runs this after the function's registration is gone: keep the queue while another function is on it.
        const services = tree.read(SERVICES_FILE)
        const inUse = services !== undefined && [...functionQueues(services, '').values()].includes(queue)
        if (!inUse && tree.exists(QUEUES_FILE)) edit(tree, QUEUES_FILE, (source) => removeQueue(source, queue), missingFile(QUEUES_FILE))
        break
      }

      case 'support': {
        if (mode === 'generate' && !tree.exists(declaration.path)) {
          const rendered = await renderTemplate(declaration.template, context, tree.root)
          tree.create(declaration.path, rendered.content, rendered.template)
        }

        break
      }

      case 'test-kit': {
        if (mode === 'generate') await planTestKit(tree, declaration.taskQueue)
        break
      }

      case 'script': {
        const {command, name} = declaration
        edit(tree, PACKAGE_JSON, (source) => (mode === 'generate' ? addScript(source, name, command) : removeScript(source, name, command)), missingFile(PACKAGE_JSON))
        break
      }

      case 'file':
      case 'template': {
        const role = projectFileRole(declaration.path)
        if (role) {
          throw new UserError(
            `This command would ${mode === 'destroy' ? 'delete' : 'write'} ${quote(declaration.path)}, which is ${role}, as if it were a unit's own file, so it was refused; nothing was written. Check the name you gave and any registry entry (such as ${quote('config/prompts.yaml')}) that points at that path.`,
          )
        }

        if (mode === 'destroy') {
          if (tree.exists(declaration.path)) tree.delete(declaration.path)
        } else if (declaration.type === 'file') {
          tree.create(declaration.path, declaration.content)
        } else {
          const rendered = await renderTemplate(declaration.template, declaration.context ?? context, tree.root, declaration.templatesDir)
          tree.create(declaration.path, rendered.content, rendered.template)
        }

        break
      }

      case 'prompt': {
        const {file, name, version} = declaration
        // Loaded here, so that semver stays off the path of every other generator.
        const {registerPrompt, unregisterPrompt} = await import('../prompts/apply.js')
        if (mode === 'destroy') unregisterPrompt(tree, name, version)
        else if (file === undefined || version === undefined) throw new Error(`prompt ${name}: generating needs a version and a file`)
        else registerPrompt(tree, name, version, file)
        break
      }

      case 'predicates': {
        const {exportName, path, predicates} = declaration
        if (mode === 'destroy') {
          if (tree.exists(path)) tree.delete(path)
          break
        }

        const source = tree.read(path)
        if (source === undefined) {
          tree.create(path, predicatesFile(exportName, predicates))
          break
        }

        // The user's file: keep every byte, add only what the workflow calls and the file lacks.
        const have = exportedFunctions(parseModule(source, path))
        const missing = predicates.filter((predicate) => !have.has(predicate.name))
        if (missing.length > 0) tree.update(path, `${source}${source === '' || source.endsWith('\n') ? '' : '\n'}${missing.map((predicate) => `\n${predicate.text}\n`).join('')}`)
        break
      }

      case 'pipeline': {
        const {entry, name} = declaration
        edit(tree, CONFIG_FILE, (source) => (mode === 'generate' ? setPipeline(source, name, entry) : removePipeline(source, name)), missingFile(CONFIG_FILE))
        break
      }
    }
  }
}
