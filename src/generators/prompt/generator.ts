import {existsSync, readdirSync} from 'node:fs'
import {join, posix} from 'node:path'

import {quote, UserError} from '../../errors.js'
import {toNames} from '../../engine/names.js'
import {Tree} from '../../engine/tree.js'
import {promptFile, PROMPTS_DIR, readRegistry, REGISTRY_FILE} from '../../prompts/registry.js'
import {checkVersion, isVersion, sortVersions} from '../../prompts/version.js'
import {Declaration} from '../declarations.js'
import {EntityGenerator, EntityNames} from '../entity.js'

export interface PromptOptions {
  name: string
  /** generate: the version to write (default 1.0.0); destroy: the version to remove (default all) */
  version?: string
}

/** The loader every generated prompt is read through, shipped by `restack new`. */
export const LOADER_FILE = 'src/prompts/loader.ts'

export const DEFAULT_VERSION = '1.0.0'

/** A prompt's names: its registry key and folder are the camel-case name ("Summarize" -> summarize). */
export function promptNames(input: string): EntityNames {
  const names = toNames(input, 'prompt name')
  if (names.camel === 'loader') {
    throw new UserError(`${quote(input)} cannot be a prompt's name: test/prompts/loader.test.ts tests the prompt loader itself, and a prompt's test is test/prompts/<name>.test.ts. Choose another name, e.g. "LoaderPrompt".`)
  }

  return {...names, exportName: names.camel, file: `${PROMPTS_DIR}/${names.camel}`}
}

/** Version files on disk under prompts/<name>/: `<version>.md` names only, in semver order. */
function versionFiles(tree: Tree, name: string): string[] {
  const dir = join(tree.root, PROMPTS_DIR, name)
  if (!existsSync(dir)) return []
  const versions = readdirSync(dir)
    .filter((entry) => entry.endsWith('.md') && isVersion(entry.slice(0, -3)))
    .map((entry) => entry.slice(0, -3))
  return sortVersions(versions).filter((version) => tree.exists(promptFile(name, version)))
}

/** A registry entry may only point at a Markdown file under prompts/: never at the project's other files. */
function assertInsidePrompts(name: string, version: string, file: string): void {
  const normalized = posix.normalize(file.replaceAll('\\', '/'))
  if (normalized.startsWith(`${PROMPTS_DIR}/`) && normalized.endsWith('.md') && !normalized.split('/').includes('..')) return
  throw new UserError(
    `${REGISTRY_FILE}: prompts.${name}.versions.${version} points at ${quote(file)}, which is not a Markdown file under ${PROMPTS_DIR}/, and prompt commands only write and delete prompt files. Point it at ${quote(promptFile(name, version))} (or another .md file under ${PROMPTS_DIR}/), then run the command again; nothing was written.`,
  )
}

export const promptGenerator: EntityGenerator<PromptOptions> = {
  kind: 'prompt',
  prepare(_project, tree, options, mode) {
    const names = promptNames(options.name)
    const version = options.version === undefined ? undefined : checkVersion(options.version)
    const entry = readRegistry(tree.read(REGISTRY_FILE) ?? '').get(names.camel)
    const registered = entry?.versions ?? new Map<string, string>()
    for (const [number, file] of registered) assertInsidePrompts(names.camel, number, file)
    const context = {names, version: version ?? DEFAULT_VERSION}

    if (mode === 'generate') {
      const cased = [...readRegistry(tree.read(REGISTRY_FILE) ?? '').keys()].find((key) => key !== names.camel && key.toLowerCase() === names.camel.toLowerCase())
      if (cased) {
        throw new UserError(
          `${quote(options.name)} collides with the prompt ${quote(cased)}: the names differ only in case, and on case-insensitive file systems (macOS, Windows) their folders and tests are one. Use ${quote(cased)} to add a version to that prompt, or choose another name, e.g. ${quote(`${names.pascal}Prompt`)}.`,
        )
      }

      if (!tree.exists(LOADER_FILE)) {
        throw new UserError(
          `This project has no prompt loader (${LOADER_FILE}), which prompts and their tests are read through; "restack new" writes it into new projects. Copy ${LOADER_FILE}, test/prompts/loader.test.ts and ${REGISTRY_FILE} from a fresh "restack new" project, add "semver" and "yaml" to its dependencies (and "@types/semver" to devDependencies), then run the command again; nothing was written.`,
        )
      }

      const file = registered.get(context.version) ?? promptFile(names.camel, context.version)
      return {
        context,
        declarations: [
          {path: file, template: 'prompt/prompt.md.hbs', type: 'template'},
          {file, name: names.camel, type: 'prompt', version: context.version},
        ],
        kind: 'prompt',
        names: {...names, file},
      }
    }

    const onDisk = versionFiles(tree, names.camel)
    if (!entry && onDisk.length === 0) {
      throw new UserError(`There is no prompt ${quote(names.camel)} to destroy: ${REGISTRY_FILE} has no prompts.${names.camel} and there is no ${PROMPTS_DIR}/${names.camel}/. "restack list" shows what the project has.`)
    }

    const versions = version === undefined ? sortVersions([...new Set([...registered.keys(), ...onDisk])]) : [version]
    if (version !== undefined && !registered.has(version) && !onDisk.includes(version)) {
      const known = sortVersions([...new Set([...registered.keys(), ...onDisk])])
      throw new UserError(
        `There is no version ${version} of the prompt ${quote(names.camel)} to destroy: it has ${known.join(', ')}. Pass one of them with --version, or no --version to remove them all.`,
      )
    }

    const files = versions.map((item) => registered.get(item) ?? promptFile(names.camel, item))
    return {
      context,
      declarations: [
        ...files.map((file): Declaration => ({content: '', path: file, type: 'file'})),
        {name: names.camel, type: 'prompt', version},
      ],
      kind: 'prompt',
      names: {...names, file: files.length === 1 ? files[0] : names.file},
    }
  },
}
