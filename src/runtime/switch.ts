import {readdirSync, realpathSync, statSync} from 'node:fs'
import {join, relative, sep} from 'node:path'
import {isMap, isScalar, parseDocument} from 'yaml'

import {addDependency, PACKAGE_JSON, removeDependency} from '../ast/package-json.js'
import {applyEdits} from '../ast/splice.js'
import {quote, UserError} from '../errors.js'
import {CONFIG_FILE, Project} from '../engine/project.js'
import {Tree} from '../engine/tree.js'
import {RESTACKIO_VERSION} from '../versions.js'
import {RUNTIME_DIR, SHIM_TSCONFIG, shimTsconfig} from './alias.js'
import {isRewritable, rewriteImports, Runtime, SpecifierChange} from './imports.js'

export const RUNTIMES: readonly Runtime[] = ['bundled', 'restackio']

/** Folders the rewrite never enters: dependencies, restack's and git's own state anywhere, build output at the root. */
const SKIPPED = new Set(['.git', '.restack', 'node_modules'])
const SKIPPED_AT_ROOT = new Set(['dist'])

/**
 * The project's TypeScript files the rewrite reads, relative to the root, in a stable order. A link to
 * a folder or file inside the project is followed (a symlinked src/ is the project's src/, as for
 * every write); a link out of the project, or back into a folder being walked, is not.
 */
function sourceFiles(root: string): string[] {
  const found: string[] = []
  const realRoot = realpathSync(root)
  const inside = (real: string): boolean => real === realRoot || real.startsWith(realRoot + sep)
  const walk = (dir: string, ancestors: Set<string>): void => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      const absolute = join(dir, entry.name)
      let isDirectory = entry.isDirectory()
      let isFile = entry.isFile()
      if (entry.isSymbolicLink()) {
        let real: string
        try {
          real = realpathSync(absolute)
        } catch {
          continue // a dangling link
        }

        if (!inside(real) || ancestors.has(real)) continue
        const stats = statSync(real)
        isDirectory = stats.isDirectory()
        isFile = stats.isFile()
      }

      if (isDirectory) {
        if (!SKIPPED.has(entry.name) && !(dir === root && SKIPPED_AT_ROOT.has(entry.name))) {
          const real = realpathSync(absolute)
          walk(absolute, new Set([...ancestors, real]))
        }
      } else if (isFile) {
        const path = relative(root, absolute).split(sep).join('/')
        if (isRewritable(path)) found.push(path)
      }
    }
  }

  walk(root, new Set([realRoot]))
  return found.sort()
}

/** restack.yaml with `runtime: <runtime>`: the value spliced in place, or a line added after `app:`; comments and layout stay. */
export function setRuntimeKey(text: string, runtime: Runtime): string {
  const doc = parseDocument(text)
  if (doc.errors.length > 0 || !isMap(doc.contents)) {
    throw new UserError(`${CONFIG_FILE} is not a valid YAML map${doc.errors[0] ? ` (${doc.errors[0].message.split('\n')[0]})` : ''}. Fix it, then run the command again; nothing was written.`)
  }

  const pair = doc.contents.items.find((item) => isScalar(item.key) && item.key.value === 'runtime')
  if (pair && isScalar(pair.value) && pair.value.range) {
    const [start, end] = pair.value.range
    return text.slice(start, end) === runtime ? text : applyEdits(text, [{end, start, text: runtime}])
  }

  if (pair) throw new UserError(`${CONFIG_FILE}: "runtime" must be "bundled" or "restackio"; fix it, then run the command again.`)
  const app = doc.contents.items.find((item) => isScalar(item.key) && item.key.value === 'app')
  const after = app && isScalar(app.value) && app.value.range ? text.indexOf('\n', app.value.range[1]) : -1
  const line = `runtime: ${runtime}\n`
  if (after === -1) return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${line}`
  return applyEdits(text, [{end: after + 1, start: after + 1, text: line}])
}

/** A project on @restackio/ai: the dependency, and the opt-in alias onto the bundled runtime when the project has one. */
export function useRestackio(tree: Tree): void {
  const pkg = tree.read(PACKAGE_JSON)
  if (pkg !== undefined) {
    const next = addDependency(pkg, '@restackio/ai', RESTACKIO_VERSION)
    if (next !== pkg) tree.update(PACKAGE_JSON, next)
  }

  if (tree.exists(`${RUNTIME_DIR}/index.ts`) && !tree.exists(SHIM_TSCONFIG)) tree.create(SHIM_TSCONFIG, shimTsconfig())
}

/** The inverse of useRestackio: what it added goes, unless the user changed it since. */
export function useBundled(tree: Tree): void {
  const pkg = tree.read(PACKAGE_JSON)
  if (pkg !== undefined) {
    const next = removeDependency(pkg, '@restackio/ai', RESTACKIO_VERSION)
    if (next !== pkg) tree.update(PACKAGE_JSON, next)
  }

  if (tree.read(SHIM_TSCONFIG) === shimTsconfig()) tree.delete(SHIM_TSCONFIG)
}

export interface RuntimeSwitchPlan {
  /** the runtime restack.yaml named before */
  from: Runtime
  /** each rewritten import, by file */
  imports: Array<{changes: SpecifierChange[]; file: string}>
  to: Runtime
  /** imports of the bundled runtime's internals, or of @restackio/ai entry points it lacks: left as they are */
  unmapped: Array<{file: string; line: number; specifier: string}>
}

const listed = (files: string[]): string => (files.length <= 6 ? files.join(', ') : `${files.slice(0, 6).join(', ')} and ${files.length - 6} more`)

/**
 * A switch maps each import of one runtime onto the other, so a project whose files already use both
 * would not come back to its bytes: the files that were on the target runtime would return on the
 * other. Such a switch is refused, naming the files; "restack runtime <restack.yaml's runtime>" first
 * puts every file on that one runtime (a one-way step the user asks for), after which switches go
 * there and back exactly.
 */
function refuseMixed(files: Array<{file: string; source: string}>, current: Runtime, to: Runtime): void {
  const bundled: string[] = []
  const restackio: string[] = []
  for (const {file, source} of files) {
    if (rewriteImports(source, file, 'restackio').changes.length > 0) bundled.push(file)
    if (rewriteImports(source, file, 'bundled').changes.length > 0) restackio.push(file)
  }

  if (bundled.length === 0 || restackio.length === 0) return
  throw new UserError(
    `This project imports Restack's API both ways: ${listed(restackio)} import @restackio/ai, while ${listed(bundled)} import the bundled runtime (${RUNTIME_DIR}/), so a switch to ${to} and back could not give every file its bytes again, and it was refused; nothing was written. Put every file on one runtime first: "restack runtime ${current}" (the runtime ${CONFIG_FILE} names) rewrites the other imports to it, then "restack runtime ${to}" switches there and back exactly.`,
  )
}

/**
 * Plans the move of a project to `to`: every import of Restack's API in the project's TypeScript
 * (outside src/restack/ and node_modules) rewritten to the other runtime's specifier, restack.yaml's
 * `runtime`, and package.json's @restackio/ai. Only import specifiers change in the code.
 */
export function planRuntimeSwitch(tree: Tree, project: Project, to: Runtime): RuntimeSwitchPlan {
  if (!RUNTIMES.includes(to)) {
    throw new UserError(`${quote(to)} is not a runtime: use "bundled" (the src/restack/ runtime on the Temporal SDK) or "restackio" (Restack's @restackio/ai package), e.g. "restack runtime restackio".`)
  }

  if (to === 'bundled' && !tree.exists(`${RUNTIME_DIR}/index.ts`)) {
    throw new UserError(
      `This project has no bundled runtime (${RUNTIME_DIR}/index.ts is missing), so its code cannot import it instead of @restackio/ai. Keep "runtime: restackio", or copy ${RUNTIME_DIR}/ from a project made by "restack new" first; nothing was written.`,
    )
  }

  const files = sourceFiles(tree.root).flatMap((file) => {
    const source = tree.read(file)
    return source === undefined ? [] : [{file, source}]
  })
  if (to !== project.config.runtime) refuseMixed(files, project.config.runtime, to)
  const imports: RuntimeSwitchPlan['imports'] = []
  const unmapped: RuntimeSwitchPlan['unmapped'] = []
  for (const {file, source} of files) {
    const rewrite = rewriteImports(source, file, to)
    if (rewrite.text !== source) tree.update(file, rewrite.text)
    if (rewrite.changes.length > 0) imports.push({changes: rewrite.changes, file})
    for (const each of rewrite.unmapped) unmapped.push({file, line: each.line, specifier: each.from})
  }

  const config = tree.read(CONFIG_FILE) ?? ''
  const nextConfig = setRuntimeKey(config, to)
  if (nextConfig !== config) tree.update(CONFIG_FILE, nextConfig)
  if (to === 'restackio') useRestackio(tree)
  else useBundled(tree)
  return {from: project.config.runtime, imports, to, unmapped}
}
