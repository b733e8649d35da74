import {addBarrelExport, removeBarrelExport} from '../ast/barrel.js'
import {addScript, PACKAGE_JSON, removeScript} from '../ast/package-json.js'
import {parseModule} from '../ast/parse.js'
import {FunctionRegistration, registerFunction, SERVICES_FILE, unregisterFunction} from '../ast/services.js'
import {quote, UserError} from '../errors.js'
import {Tree} from '../engine/tree.js'
import {renderTemplate} from '../templates.js'

/**
 * What a generator declares, Rails-style. Each declaration knows how to apply itself and how to
 * revoke itself, so destroy runs the very same list backwards: there is no second code path.
 */
export type Declaration =
  | {barrel: string; module: string; type: 'barrel'}
  | {command: string; name: string; type: 'script'}
  | {path: string; template: string; type: 'template'}
  | {registration: FunctionRegistration; type: 'function'}

export type Mode = 'destroy' | 'generate'

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

export async function apply(tree: Tree, declarations: Declaration[], mode: Mode, context: object): Promise<void> {
  const ordered = mode === 'generate' ? declarations : [...declarations].reverse()
  for (const declaration of ordered) {
    switch (declaration.type) {
      case 'barrel': {
        const {barrel, module} = declaration
        edit(tree, barrel, (source) => (mode === 'generate' ? addBarrelExport(source, barrel, module) : removeBarrelExport(source, barrel, module)), missingFile(barrel))
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

      case 'script': {
        const {command, name} = declaration
        edit(tree, PACKAGE_JSON, (source) => (mode === 'generate' ? addScript(source, name, command) : removeScript(source, name, command)), missingFile(PACKAGE_JSON))
        break
      }

      case 'template': {
        if (mode === 'destroy') {
          if (tree.exists(declaration.path)) tree.delete(declaration.path)
          break
        }

        const rendered = await renderTemplate(declaration.template, context, tree.root)
        tree.create(declaration.path, rendered.content, rendered.template)
        break
      }
    }
  }
}
