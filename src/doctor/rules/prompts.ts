import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'

import {isUserError, quote} from '../../errors.js'
import {isOurs, readLedger} from '../../engine/ledger.js'
import {Tree} from '../../engine/tree.js'
import {registerPrompt} from '../../prompts/apply.js'
import {parsePromptFile} from '../../prompts/file.js'
import {PROMPTS_DIR, readRegistry, REGISTRY_FILE} from '../../prompts/registry.js'
import {promptTest, promptTestPath} from '../../prompts/testgen.js'
import {bestVersion, isVersion} from '../../prompts/version.js'
import {Finding, Rule} from '../rule.js'

/** A prompt name as generate:prompt writes it, and so as a registry key the repair may add. */
const PROMPT_NAME = /^[a-z][A-Za-z\d]*$/

/** Every `prompts/<dir>/<file>.md` in the project, sorted. */
function promptFiles(root: string): string[] {
  const base = join(root, PROMPTS_DIR)
  if (!existsSync(base)) return []
  const files: string[] = []
  for (const dir of readdirSync(base, {withFileTypes: true})) {
    if (!dir.isDirectory()) continue
    for (const file of readdirSync(join(base, dir.name), {withFileTypes: true})) {
      if (file.isFile() && file.name.endsWith('.md')) files.push(`${PROMPTS_DIR}/${dir.name}/${file.name}`)
    }
  }

  return files.sort()
}

/** The prompt's test as the registry in `tree` says it should be, read when the repair runs (after any other repair). */
function rewriteTest(tree: Tree, name: string): void {
  const entry = readRegistry(tree.read(REGISTRY_FILE) ?? '').get(name)
  if (entry && entry.versions.size > 0) tree.create(promptTestPath(name), promptTest(name, entry))
}

/**
 * config/prompts.yaml and prompts/ agree: every registered version has its file, and the file is
 * one the loader accepts; every prompt file is registered; every `latest` names a version; every
 * prompt's generated test matches the registry. An unregistered `prompts/<name>/<version>.md` is
 * repaired by registering it, as generate:prompt would, and a stale generated test by rewriting it.
 */
export const promptsRule: Rule = {
  description: 'config/prompts.yaml and the files under prompts/ agree, and every prompt file is one the loader accepts',
  name: 'prompts',
  needsProject: true,
  run(context) {
    const root = context.project?.root ?? context.root
    if (!root) return []
    const tree = new Tree(root)
    const text = tree.read(REGISTRY_FILE)
    const files = promptFiles(root)
    if (text === undefined && files.length === 0) return []

    let registry: ReturnType<typeof readRegistry>
    try {
      registry = readRegistry(text ?? '')
    } catch (error) {
      if (!isUserError(error)) throw error
      return [
        {
          code: 'prompts/invalid-registry',
          fix: `Fix ${REGISTRY_FILE} as the message says; a fresh "restack new" project shows its shape.`,
          message: error.message.replace(/ Fix it, then run the command again; nothing was written\.$/, ''),
          severity: 'error',
        },
      ]
    }

    const findings: Finding[] = []
    const registered = new Set<string>()
    for (const [name, entry] of registry) {
      for (const [version, file] of entry.versions) {
        registered.add(file)
        const source = tree.read(file)
        if (source === undefined) {
          findings.push({
            code: 'prompts/missing-file',
            fix: `Restore ${file}, or unregister the version: restack destroy:prompt ${name} --version ${version}.`,
            message: `${REGISTRY_FILE} registers version ${version} of the prompt ${quote(name)} at ${file}, which does not exist.`,
            severity: 'error',
          })
          continue
        }

        try {
          parsePromptFile(source)
        } catch (error) {
          findings.push({
            code: 'prompts/invalid-file',
            fix: `Edit ${file}: front matter between "---" lines declaring every {{variable}} its text uses, as "restack generate:prompt" writes it.`,
            message: `The prompt file ${file} (${name}@${version}) cannot be loaded: ${(error as Error).message}.`,
            severity: 'error',
          })
        }
      }

      const versions = [...entry.versions.keys()]
      if (versions.length > 0 && (entry.latest === undefined || !entry.versions.has(entry.latest))) {
        const best = bestVersion(versions)!
        findings.push({
          code: 'prompts/unknown-latest',
          fix: `Set prompts.${name}.latest in ${REGISTRY_FILE} to one of its versions, e.g. "latest: ${best}".`,
          message:
            entry.latest === undefined
              ? `The prompt ${quote(name)} has no "latest" in ${REGISTRY_FILE}, so loading it without a version fails.`
              : `The "latest" of the prompt ${quote(name)} is ${entry.latest}, which is not one of its versions (${versions.join(', ')}).`,
          severity: 'error',
        })
      }
    }

    // A prompt's generated test states what each selector loads; after a hand edit of the registry
    // it states the old answers. Only a test nobody edited since it was generated is rewritten.
    let ledger: ReturnType<typeof readLedger>
    try {
      ledger = readLedger(tree)
    } catch {
      return findings // the ledger rule reports a corrupt ledger
    }

    for (const [name, entry] of registry) {
      const path = promptTestPath(name)
      const current = tree.read(path)
      if (entry.versions.size === 0 || current === undefined || !isOurs(ledger, path, current)) continue
      const expected = promptTest(name, entry)
      if (current === expected) continue
      findings.push({
        code: 'prompts/stale-test',
        fix: `Run "restack doctor --fix" to rewrite ${path} from ${REGISTRY_FILE}.`,
        message: `${path} checks the versions the prompt ${quote(name)} had when it was generated, not the ones ${REGISTRY_FILE} lists now, so "npm test" would fail on resolutions that changed.`,
        repair: (target: Tree) => rewriteTest(target, name),
        severity: 'warn',
      })
    }

    for (const file of files.filter((path) => !registered.has(path))) {
      const [, dir, base] = file.split('/')
      const version = base.slice(0, -3)
      const repairable = PROMPT_NAME.test(dir) && isVersion(version) && !registry.get(dir)?.versions.has(version)
      findings.push({
        code: 'prompts/unregistered-file',
        fix: repairable
          ? `Register it: "restack doctor --fix" adds "${version}: ${file}" under prompts.${dir}.versions in ${REGISTRY_FILE}, or delete the file.`
          : `Name it prompts/<name>/<version>.md (e.g. ${PROMPTS_DIR}/${PROMPT_NAME.test(dir) ? dir : 'summarize'}/1.0.0.md) and register it in ${REGISTRY_FILE}, or delete it.`,
        message: `${file} is a prompt file that ${REGISTRY_FILE} does not register, so the loader never reads it.`,
        ...(repairable ? {repair: (target: Tree) => registerPrompt(target, dir, version, file)} : {}),
        severity: 'error',
      })
    }

    return findings
  },
}
