import {addBarrelExport} from '../../ast/barrel.js'
import {findServices, registerFunction, SERVICES_FILE} from '../../ast/services.js'
import {parseModule} from '../../ast/parse.js'
import {barrelOf, listEntities} from '../../engine/entities.js'
import {Tree} from '../../engine/tree.js'
import {Finding, Rule} from '../rule.js'
import {REGISTRATION_FILES} from './sources.js'

const parses = (tree: Tree, file: string): boolean => {
  // A missing barrel is the sources rule's finding (or fine, for a kind the project has no modules of).
  if (!tree.exists(file)) return file !== SERVICES_FILE
  try {
    parseModule(tree.read(file) ?? '', file)
    return tree.exists(file)
  } catch {
    return false
  }
}

export const registrationsRule: Rule = {
  description: 'every agent, workflow and function file is registered, and every registration has its file',
  name: 'registrations',
  needsProject: true,
  run({project}) {
    const tree = new Tree(project!.root)
    // Files that do not parse are the sources rule's finding; reading registrations from them would guess.
    if (!REGISTRATION_FILES.every((file) => parses(tree, file))) return []
    const defaultQueue = project!.config.defaults.taskQueue
    const findings: Finding[] = []
    const entities = listEntities(tree, defaultQueue)
    for (const entity of entities) {
      const barrel = barrelOf(entity.kind)
      if (!entity.fileExists) {
        findings.push({
          code: 'registration/missing-file',
          fix: `Restore ${entity.file}, or remove its line from ${barrel}${entity.kind === 'function' ? ` and ${SERVICES_FILE}` : ''} (or run "restack destroy:${entity.kind} ${entity.name}").`,
          message: `${barrel} exports "./${entity.name}", but ${entity.file} does not exist.`,
          severity: 'error',
        })
        continue
      }

      if (!entity.barrel) {
        findings.push({
          code: 'registration/missing-barrel-export',
          fix: `Add export * from "./${entity.name}"; to ${barrel} (restack doctor --fix does it).`,
          message: `${entity.file} is not exported from ${barrel}, so the service does not ${entity.kind === 'function' ? 'know the function' : `run the ${entity.kind}`}.`,
          repair: (target) => target.update(barrel, addBarrelExport(target.read(barrel)!, barrel, entity.name)),
          severity: 'error',
        })
      }

      if (entity.kind === 'function' && !entity.service) {
        findings.push({
          code: 'registration/missing-service',
          fix: `Add ${entity.name} to the functions of the "${defaultQueue}" service in ${SERVICES_FILE} (restack doctor --fix does it).`,
          message: `The function ${entity.name} is not registered in any startService of ${SERVICES_FILE}, so no worker runs it.`,
          repair: (target) => target.update(SERVICES_FILE, registerFunction(target.read(SERVICES_FILE)!, {defaultQueue, name: entity.name})),
          severity: 'error',
        })
      }
    }

    const known = new Set(entities.filter((entity) => entity.kind === 'function').map((entity) => entity.name))
    for (const service of findServices(parseModule(tree.read(SERVICES_FILE)!, SERVICES_FILE), defaultQueue)) {
      for (const name of service.names.filter((candidate) => !known.has(candidate))) {
        findings.push({
          code: 'registration/unknown-function',
          fix: `Generate it ("restack g function ${name}") or remove it from ${SERVICES_FILE}.`,
          message: `${SERVICES_FILE} registers "${name}" on task queue "${service.taskQueue}", but there is no src/functions/${name}.ts.`,
          severity: 'error',
        })
      }
    }

    return findings
  },
}
