import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse} from 'yaml'

/** An environment variable or config key whose value is a secret: *KEY*, *TOKEN*, *SECRET*, *PASSWORD*. */
export const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL/i

// Values too short or too common to be a secret: redacting "1" or "true" would garble every message.
const MIN_LENGTH = 4
const NOT_SECRETS = new Set(['true', 'false', 'null', 'none', 'undefined', 'changeme'])

/** A secret value and the name a redacted message shows in its place (never the value). */
export interface Secret {
  name: string
  value: string
}

const worthHiding = (value: string): boolean => value.trim().length >= MIN_LENGTH && !NOT_SECRETS.has(value.trim().toLowerCase())

/** Secrets of an environment: the values of variables whose names look secret. */
export function envSecrets(env: NodeJS.ProcessEnv): Secret[] {
  return Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && typeof value === 'string' && worthHiding(value))
    .map(([name, value]) => ({name, value: value!}))
}

const VARIABLE = /\$\{([A-Za-z_]\w*)(?::-([^}]*))?\}/g

/**
 * Secrets of the project's config/*.yaml files: the value a secret-looking key (api_key, token,
 * password...) receives, whether written literally or substituted from `${VAR}` / `${VAR:-default}`,
 * whatever the variable's own name.
 */
export function configSecrets(root: string, env: NodeJS.ProcessEnv): Secret[] {
  const dir = join(root, 'config')
  const secrets: Secret[] = []
  let files: string[] = []
  try {
    files = existsSync(dir) ? readdirSync(dir).filter((file) => /\.ya?ml$/.test(file)) : []
  } catch {
    return secrets
  }

  const visit = (node: unknown, key: string | undefined, file: string): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, key, file)
    } else if (node !== null && typeof node === 'object') {
      for (const [child, value] of Object.entries(node)) visit(value, child, file)
    } else if (typeof node === 'string' && key !== undefined && SECRET_NAME.test(key)) {
      const name = `config/${file} ${key}`
      const substituted = node.replaceAll(VARIABLE, (_match, variable: string, fallback?: string) => {
        const value = env[variable] || fallback || ''
        if (worthHiding(value)) secrets.push({name: variable, value})
        return value
      })
      if (worthHiding(substituted)) secrets.push({name, value: substituted})
    }
  }

  for (const file of files) {
    try {
      visit(parse(readFileSync(join(dir, file), 'utf8')), undefined, file)
    } catch {
      // an unreadable or invalid file has no secrets we can know; the rules that read it say what is wrong
    }
  }

  return secrets
}

/** Every secret a project's messages could leak: its environment's and its config's. */
export function projectSecrets(root: string | undefined, env: NodeJS.ProcessEnv): Secret[] {
  return [...envSecrets(env), ...(root ? configSecrets(root, env) : [])]
}

/**
 * Replaces every occurrence of a secret's value (also as it appears inside a JSON string) with
 * `<redacted NAME>`, longest value first so that a secret containing another is hidden whole.
 */
export function redact(text: string, secrets: Secret[]): string {
  const forms = secrets
    .flatMap(({name, value}) => [value, JSON.stringify(value).slice(1, -1)].map((form) => ({form, name})))
    .sort((a, b) => b.form.length - a.form.length)
  let result = text
  for (const {form, name} of forms) {
    if (result.includes(form)) result = result.split(form).join(`<redacted ${name}>`)
  }

  return result
}
