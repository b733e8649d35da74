import {createHash} from 'node:crypto'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join, relative, sep} from 'node:path'
import {createRequire} from 'node:module'

import {quote, UserError} from './errors.js'
import {PACKAGE_ROOT} from './package-root.js'

/** The templates shipped with the CLI: `templates/<kind>/<path>.hbs`. */
export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates') + sep

/** Where a project keeps its own versions of any template, same relative paths. */
export const OVERRIDES_DIR = '.restack/templates'

export interface RenderedFile {
  content: string
  path: string
  /** the template file used, relative to the package or the project */
  template: string
}

/** `_gitignore.hbs` -> `.gitignore`: npm strips dotfiles such as .gitignore from packages. */
export const outputPath = (templatePath: string): string =>
  templatePath
    .replace(/\.hbs$/, '')
    .split('/')
    .map((segment) => (segment.startsWith('_') ? `.${segment.slice(1)}` : segment))
    .join('/')

export function listTemplates(kind: string): string[] {
  const base = join(TEMPLATES_DIR, kind)
  const found: string[] = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith('.hbs')) found.push(relative(TEMPLATES_DIR, path).split(sep).join('/'))
    }
  }

  walk(base)
  return found.sort()
}

type Handlebars = typeof import('handlebars')
type TemplateFunction = (context: object) => string
let handlebars: Handlebars | undefined
// Loaded on first render that needs it, so that --help and --version never pay for it.
const loadHandlebars = async (): Promise<Handlebars> => {
  handlebars ??= ((await import('handlebars')) as {default: Handlebars}).default
  return handlebars
}

/**
 * The shipped templates, each compiled by the build (scripts/build.mjs) into lib/templates/<template>.cjs:
 * a generator then loads Handlebars' small runtime instead of its compiler. Each carries the hash of the
 * source it was compiled from; a template edited since the build is compiled here as before. CommonJS and
 * require(), so that they load through the CLI's code cache (bin/code-cache.cjs), where import() cannot run.
 */
async function compile(template: string, text: string, shipped: boolean): Promise<TemplateFunction> {
  const file = join(PACKAGE_ROOT, 'lib', 'templates', `${template}.cjs`)
  if (shipped && existsSync(file)) {
    const compiled = createRequire(import.meta.url)(file) as {default: object; hash: string}
    if (compiled.hash === templateHash(text)) {
      const runtime = ((await import('handlebars/runtime.js')) as unknown as {default: {template(spec: object): TemplateFunction}}).default
      return runtime.template(compiled.default)
    }
  }

  return (await loadHandlebars()).compile(text, TEMPLATE_OPTIONS)
}

/** The options every template is compiled with, at build time and at run time. */
export const TEMPLATE_OPTIONS = {noEscape: true, strict: true}

export const templateHash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16)

/**
 * Renders one template (`new/src/services.ts.hbs`) with strict Handlebars: a missing variable is an
 * error, never an empty string. A file at the same path under `<projectRoot>/.restack/templates/`
 * wins over the shipped one. Plugins pass their own `templatesDir`.
 */
export async function renderTemplate(template: string, context: object, projectRoot?: string, templatesDir = TEMPLATES_DIR): Promise<RenderedFile> {
  const override = projectRoot === undefined ? undefined : join(projectRoot, OVERRIDES_DIR, template)
  const source = override && existsSync(override) ? override : join(templatesDir, template)
  const shown = source === override ? `${OVERRIDES_DIR}/${template}` : `templates/${template}`
  try {
    const render = await compile(template, readFileSync(source, 'utf8'), source === join(TEMPLATES_DIR, template))
    return {content: render(context), path: outputPath(template.slice(template.indexOf('/') + 1)), template: shown}
  } catch (error) {
    throw new UserError(
      `The template ${quote(shown)} could not be rendered: ${(error as Error).message.split('\n')[0]}. ${source === override ? 'Fix or remove your override.' : 'This is a bug in restack-gen; please report it.'}`,
    )
  }
}

/** Renders every template of a kind, e.g. the whole project for `new`. */
export async function renderKind(kind: string, context: object, projectRoot?: string): Promise<RenderedFile[]> {
  return Promise.all(listTemplates(kind).map((template) => renderTemplate(template, context, projectRoot)))
}
