import {isUserError} from '../../errors.js'
import {listEntities} from '../../engine/entities.js'
import {CONFIG_FILE} from '../../engine/project.js'
import {Tree} from '../../engine/tree.js'
import {pipelineNames, readPipeline} from '../../pipeline/config.js'
import {predicatesPath} from '../../pipeline/codegen.js'
import {parsePipeline} from '../../pipeline/parser.js'
import {calledPredicates, describeObsolete, obsoletePredicates} from '../../pipeline/predicates.js'
import {resolveSteps} from '../../pipeline/resolve.js'
import {Finding, Rule} from '../rule.js'

/** The expression a compiled pipeline says it was compiled from: its header's second line. */
export function compiledExpression(source: string): string | undefined {
  const lines = source.split('\n')
  return /^\/\/ Pipeline \w+, compiled by restack-gen from:$/.test(lines[0] ?? '') ? lines[1]?.replace(/^\/\/ {3}/, '') : undefined
}

/**
 * Every pipeline in restack.yaml has its compiled workflow, compiled from the same expression
 * (no drift), and every step still names an agent, workflow or function of the project.
 */
export const pipelinesRule: Rule = {
  description: "every pipeline's workflow exists, matches its restack.yaml expression, its steps exist, and its predicates file has no predicates it no longer calls",
  name: 'pipelines',
  needsProject: true,
  run({project}) {
    const tree = new Tree(project!.root)
    const config = tree.read(CONFIG_FILE) ?? ''
    const names = pipelineNames(config)
    const entities = listEntities(tree, project!.config.defaults.taskQueue)
    const findings: Finding[] = []
    for (const name of names) {
      const file = `src/workflows/${name}.ts`
      const operators = readPipeline(config, name)?.operators ?? ''
      const source = tree.read(file)
      if (source === undefined) {
        findings.push({code: 'pipeline/missing-workflow', fix: `Run "restack g pipeline ${name}" to compile it from ${CONFIG_FILE}, or "restack d pipeline ${name}" to remove it.`, message: `${CONFIG_FILE} has the pipeline ${name} ("${operators}"), but ${file} does not exist.`, severity: 'error'})
        continue
      }

      const compiled = compiledExpression(source)
      if (compiled !== operators) {
        findings.push({
          code: 'pipeline/drift',
          fix: `Run "restack g pipeline ${name}" to compile ${file} again from ${CONFIG_FILE} (your predicates in src/pipelines/${name}.ts are kept).`,
          message: `${file} was compiled from ${compiled === undefined ? 'an unknown expression (its header is gone)' : `"${compiled}"`}, but ${CONFIG_FILE} says pipelines.${name} is "${operators}".`,
          severity: 'error',
        })
      }

      const predicatesFile = predicatesPath(name)
      const predicates = tree.read(predicatesFile)
      const obsolete = predicates === undefined ? [] : obsoletePredicates(predicates, predicatesFile, calledPredicates(source))
      if (obsolete.length > 0) {
        findings.push({
          code: 'pipeline/unused-predicate',
          fix: `Delete ${obsolete.join(', ')} from ${predicatesFile} if you no longer need ${obsolete.length === 1 ? 'it' : 'them'} (restack never deletes your code there), or bring the loop or conditional back into the expression.`,
          message: `${describeObsolete(name, predicatesFile, obsolete)}.`,
          severity: 'warn',
        })
      }

      try {
        resolveSteps(parsePipeline(operators), entities, {defaultQueue: project!.config.defaults.taskQueue, exclude: name, pipelines: new Set(names), scaffoldMissing: false})
      } catch (error) {
        if (!isUserError(error)) throw error
        findings.push({
          code: 'pipeline/missing-step',
          fix: `Generate the missing units, or change the expression with "restack g pipeline ${name} --operators '...'".`,
          message: `The pipeline ${name} ("${operators}"): ${error.message.split(' Generate ')[0]}`,
          severity: 'error',
        })
      }
    }

    return findings
  },
}
