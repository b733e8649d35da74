import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join, relative} from 'node:path'

import {Finding, Rule} from '../rule.js'

// process.env.NAME or process.env["NAME"], and what follows it (to see a fallback).
// A fallback (?? or ||) or a conditional test (x ? a : b) makes a read optional; a "!" asserts it is set.
const REFERENCE = /process\.env(?:\.([A-Za-z_]\w*)|\[\s*["']([A-Za-z_]\w*)["']\s*\])(\s*(?:\?\?|\|\||\?(?![?.])))?(!(?!=))?/g

/**
 * Restack's connection variables: unset, its client talks to a local engine (Restack's examples read
 * them with "!" in client.ts and still run locally), so they are never required.
 */
const RESTACK_OPTIONAL = /^RESTACK_ENGINE_/

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
}

/** Variables .env.example lists, set or commented out: documented there, so optional unless given a value. */
function documentedOptional(root: string): Set<string> {
  const file = join(root, '.env.example')
  if (!existsSync(file)) return new Set()
  return new Set([...readFileSync(file, 'utf8').matchAll(/^\s*#?\s*([A-Za-z_]\w*)\s*=\s*$/gm)].map((match) => match[1]))
}

export const environmentRule: Rule = {
  description: 'the variables the code reads are set in the environment or .env',
  name: 'environment',
  needsProject: true,
  run({env, project}) {
    const root = project!.root
    const optional = documentedOptional(root)
    const required = new Map<string, {asserted: boolean; where: string}>()
    for (const file of sourceFiles(join(root, 'src'))) {
      const lines = readFileSync(file, 'utf8').split('\n')
      for (const [index, line] of lines.entries()) {
        if (/^\s*(\/\/|\*)/.test(line)) continue
        for (const match of line.matchAll(REFERENCE)) {
          const name = match[1] ?? match[2]
          if (match[3] || optional.has(name) || RESTACK_OPTIONAL.test(name) || required.has(name)) continue
          required.set(name, {asserted: match[4] === '!', where: `${relative(root, file)}:${index + 1}`})
        }
      }
    }

    const findings: Finding[] = []
    for (const [name, {asserted, where}] of required) {
      if (env[name] !== undefined && env[name] !== '') continue
      // "process.env.X!" says the author knows what X is; doctor cannot tell whether it is optional, so it only warns.
      findings.push({
        code: 'environment/missing-variable',
        fix: `Set ${name} in .env (or the environment); if it is optional, give it a fallback in the code or list it as "# ${name}=" in .env.example.`,
        message: `${name} is read at ${where}${asserted ? ' (with "!")' : ''} but is not set in the environment or .env.`,
        severity: asserted ? 'warn' : 'error',
      })
    }

    return findings
  },
}
