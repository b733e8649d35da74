import {existsSync, readdirSync} from 'node:fs'
import {join, posix} from 'node:path'

import {ENTITY_DIRS, listEntities} from '../../engine/entities.js'
import {Tree} from '../../engine/tree.js'
import {usesIn} from '../../generators/references.js'
import {Finding, Rule} from '../rule.js'

/**
 * Dangling references in agents, workflows and functions: a step call of a function the project no
 * longer has, or an import of an agent or workflow module that is gone (what `destroy --force` leaves).
 */
export const referencesRule: Rule = {
  description: 'agents, workflows and functions only call functions and children that exist',
  name: 'references',
  needsProject: true,
  run({project}) {
    const tree = new Tree(project!.root)
    const entities = listEntities(tree, project!.config.defaults.taskQueue)
    const functions = new Set(entities.filter((entity) => entity.kind === 'function' && entity.fileExists).map((entity) => entity.name))
    const findings: Finding[] = []
    for (const dir of Object.values(ENTITY_DIRS)) {
      if (!existsSync(join(project!.root, dir))) continue
      for (const entry of readdirSync(join(project!.root, dir)).sort()) {
        if (!entry.endsWith('.ts') || entry === 'index.ts') continue
        const file = `${dir}/${entry}`
        const source = tree.read(file)
        if (source === undefined) continue
        const uses = usesIn(source, file)
        for (const name of uses.functions) {
          if (functions.has(name)) continue
          findings.push({code: 'references/missing-function', fix: `Generate it ("restack g function ${name}") or remove the call from ${file}.`, message: `${file} calls the function ${name}, which the project does not have.`, severity: 'error'})
        }

        for (const from of uses.sources) {
          const target = posix.join(dir, from)
          const kindDir = Object.values(ENTITY_DIRS).find((folder) => posix.dirname(target) === folder)
          if (!kindDir || posix.basename(target) === 'index' || tree.exists(`${target}.ts`) || tree.exists(`${target}/index.ts`)) continue
          findings.push({code: 'references/missing-module', fix: `Restore or generate ${target}.ts, or remove the import and its calls from ${file}.`, message: `${file} imports "${from}", but ${target}.ts does not exist.`, severity: 'error'})
        }
      }
    }

    return findings
  },
}
