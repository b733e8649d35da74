import {parse} from 'yaml'

/** A `{{name}}` placeholder, the way the generated loader finds them. */
export const PLACEHOLDER = /\{\{\s*([A-Za-z_]\w*)\s*\}\}/g

export const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/

export interface PromptFile {
  description?: string
  /** the text after the front matter, without its final newline */
  text: string
  /** declared variable -> its description */
  variables: Map<string, string>
}

/**
 * Reads a prompt file as the generated loader does (src/prompts/loader.ts in a project): YAML front
 * matter between `---` lines declaring `variables`, then the text. Throws an Error saying what is
 * wrong; the checks match the loader's, so doctor reports what the loader would refuse.
 */
export function parsePromptFile(source: string): PromptFile {
  const match = FRONT_MATTER.exec(source)
  if (!match) throw new Error('it has no front matter: the file must start with a "---" line, the YAML that declares its variables, and a closing "---" line')
  let data: unknown
  try {
    data = parse(match[1]) ?? {}
  } catch (error) {
    throw new Error(`its front matter is not valid YAML: ${(error as Error).message.split('\n')[0]}`)
  }

  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error('its front matter must be a YAML map with "description" and "variables"')
  const {description, variables = {}} = data as {description?: unknown; variables?: unknown}
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) {
    throw new Error('"variables" in its front matter must map each variable to what it is, e.g. "input: the text to work on"')
  }

  const declared = new Map<string, string>()
  for (const [name, about] of Object.entries(variables)) {
    if (!/^[A-Za-z_]\w*$/.test(name)) throw new Error(`the variable ${JSON.stringify(name)} is not a name: use letters, digits and "_", starting with a letter`)
    declared.set(name, about === null || about === undefined ? '' : String(about))
  }

  const text = source.slice(match[0].length).replace(/\r?\n$/, '')
  for (const [, name] of text.matchAll(PLACEHOLDER)) {
    if (!declared.has(name)) throw new Error(`its text uses {{${name}}}, which its front matter does not declare: add "${name}: <what it is>" under variables`)
  }

  return {description: typeof description === 'string' ? description : undefined, text, variables: declared}
}
