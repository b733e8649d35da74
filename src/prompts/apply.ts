import {Tree} from '../engine/tree.js'
import {addVersion, readRegistry, REGISTRY_FILE, removeVersion} from './registry.js'
import {promptTest, promptTestPath} from './testgen.js'

/**
 * Registers `version` of prompt `name` (its file at `file`) in config/prompts.yaml and rewrites the
 * prompt's test. Reads and writes only the tree; used by generate:prompt and by doctor's repair.
 */
export function registerPrompt(tree: Tree, name: string, version: string, file: string): void {
  const before = tree.read(REGISTRY_FILE)
  const after = addVersion(before ?? '', name, version, file)
  if (after !== before) tree.update(REGISTRY_FILE, after)
  writeTest(tree, name, after)
}

/** The inverse of `registerPrompt`: one version, or every version when none is given. */
export function unregisterPrompt(tree: Tree, name: string, version?: string): void {
  const before = tree.read(REGISTRY_FILE)
  if (before === undefined) return
  const after = removeVersion(before, name, version)
  if (after !== before) tree.update(REGISTRY_FILE, after)
  writeTest(tree, name, after)
}

function writeTest(tree: Tree, name: string, registry: string): void {
  const entry = readRegistry(registry).get(name)
  const path = promptTestPath(name)
  if (entry && entry.versions.size > 0) tree.create(path, promptTest(name, entry))
  else if (tree.exists(path)) tree.delete(path)
}
