import {existsSync, readdirSync} from 'node:fs'
import {dirname, join} from 'node:path'

import {barrelOf, ENTITY_KINDS} from '../../engine/entities.js'
import {SERVICES_FILE} from '../../ast/services.js'
import {parseModule} from '../../ast/parse.js'
import {isUserError} from '../../errors.js'
import {Tree} from '../../engine/tree.js'
import {Finding, Rule} from '../rule.js'

/** The files registration edits: they must exist and parse. */
export const REGISTRATION_FILES = [SERVICES_FILE, ...ENTITY_KINDS.map((kind) => barrelOf(kind))]

/** Whether a folder holds any TypeScript module besides its barrel. */
function hasModules(tree: Tree, dir: string): boolean {
  const path = join(tree.root, dir)
  return existsSync(path) && readdirSync(path).some((entry) => /\.ts$/.test(entry) && !entry.endsWith('.d.ts') && entry !== 'index.ts')
}

export const sourcesRule: Rule = {
  description: 'services.ts and the agents, workflows and functions barrels exist and parse',
  name: 'sources',
  needsProject: true,
  run({project}) {
    const tree = new Tree(project!.root)
    const findings: Finding[] = []
    for (const file of REGISTRATION_FILES) {
      const source = tree.read(file)
      // A kind the project has no modules of needs no barrel (Restack's agent examples have no workflows folder).
      if (source === undefined && file !== SERVICES_FILE && !hasModules(tree, dirname(file))) continue
      if (source === undefined) {
        findings.push({
          code: 'sources/missing-file',
          fix: `Restore ${file} from version control, or copy it from a fresh "restack new".`,
          message: `${file} is missing; the service${file === SERVICES_FILE ? '' : "'s registrations"} need${file === SERVICES_FILE ? 's' : ''} it.`,
          severity: 'error',
        })
        continue
      }

      try {
        parseModule(source, file)
      } catch (error) {
        if (!isUserError(error)) throw error
        findings.push({code: 'sources/syntax-error', fix: `Fix the syntax error in ${file}.`, message: error.message.split('. Fix')[0] + '.', severity: 'error'})
      }
    }

    return findings
  },
}
