import {quote, UserError} from '../../errors.js'
import {barrelOf, listEntities} from '../../engine/entities.js'
import {splitWords, toNames} from '../../engine/names.js'
import {CONFIG_FILE} from '../../engine/project.js'
import {generatePipeline, label} from '../../pipeline/codegen.js'
import {pipelineNames, readPipeline, unknownPipeline} from '../../pipeline/config.js'
import {PipelineNode} from '../../pipeline/ir.js'
import {parsePipeline} from '../../pipeline/parser.js'
import {hasBranches, resolveSteps} from '../../pipeline/resolve.js'
import {simulate} from '../../pipeline/simulate.js'
import {generatePipelineTest} from '../../pipeline/testgen.js'
import {Declaration} from '../declarations.js'
import {EntityGenerator, EntityNames, Prepared} from '../entity.js'
import {functionGenerator} from '../function/generator.js'

export interface PipelineOptions {
  name: string
  /** the operator expression; when absent, the one restack.yaml holds for this pipeline */
  operators?: string
  scaffoldMissing?: boolean
}

const STEP_MARKER = 'restack:pipeline-step'

/** A pipeline is a workflow whose file and export are `<name>Pipeline` ("Blog" and "BlogPipeline" alike). */
export function pipelineNamesFor(input: string): EntityNames {
  toNames(input, 'pipeline name') // a bad name is refused as the user typed it ("" is not "pipeline")
  const words = splitWords(input)
  const base = words.length > 1 && words.at(-1) === 'pipeline' ? words.slice(0, -1) : words
  const names = toNames([...base, 'pipeline'].join(' '), 'pipeline name')
  return {...names, exportName: names.camel, file: `src/workflows/${names.camel}.ts`}
}

export const pipelineGenerator: EntityGenerator<PipelineOptions> = {
  kind: 'pipeline',
  prepare(project, tree, options, mode) {
    const names = pipelineNamesFor(options.name)
    const config = tree.read(CONFIG_FILE) ?? ''
    const stored = readPipeline(config, names.camel)
    const entities = listEntities(tree, project.config.defaults.taskQueue)
    const testFile = `test/workflows/${names.camel}.test.ts`
    const workflowDeclarations = (source: string, test: string): Declaration[] => [
      {content: source, path: names.file, type: 'file'},
      {content: test, path: testFile, type: 'file'},
      {barrel: barrelOf('workflow'), module: names.camel, type: 'barrel'},
    ]

    if (mode === 'destroy') {
      if (!stored && !entities.some((entity) => entity.kind === 'workflow' && entity.name === names.camel)) {
        throw new UserError(`There is no pipeline ${quote(names.camel)} to destroy: ${CONFIG_FILE} has no pipelines.${names.camel} and there is no ${names.file}. "restack list" shows what the project has.`)
      }

      const scaffolded = (stored?.scaffolded ?? []).filter((name) => entities.some((entity) => entity.kind === 'function' && entity.name === name))
      return {
        context: {names},
        declarations: [
          ...scaffolded.flatMap((name) => ownContext(functionGenerator.prepare(project, tree, {name}, 'destroy'))),
          ...workflowDeclarations('', ''),
          {entry: stored ?? {operators: ''}, name: names.camel, type: 'pipeline'},
        ],
        kind: 'pipeline',
        names,
      }
    }

    const taken = entities.find((entity) => entity.name === names.camel && (entity.kind !== 'workflow' || !stored))
    if (taken) {
      throw new UserError(
        `${quote(options.name)} is already taken: the project has ${taken.kind === 'agent' ? 'an' : 'a'} ${taken.kind} ${quote(taken.name)} (${taken.file}) that is not a pipeline. Choose another name for the pipeline.`,
      )
    }

    const operators = options.operators ?? stored?.operators
    if (operators === undefined) throw unknownPipeline(names.camel)
    const root = parsePipeline(operators)
    const steps = resolveSteps(root, entities, {
      defaultQueue: project.config.defaults.taskQueue,
      exclude: names.camel,
      pipelines: new Set(pipelineNames(config)),
      scaffoldMissing: Boolean(options.scaffoldMissing),
    })
    const scaffold = [...new Set([...steps.values()].filter((step) => step.scaffold).map((step) => step.module))]
    const loopMax = (key: string): number => stored?.loopMax?.[key] ?? project.config.defaults.pipelineLoopMax
    const {source} = generatePipeline({exportName: names.camel, expression: operators, loopMax, pascal: names.pascal, root, steps})
    const isStep = (module: string) => scaffold.includes(module) || (tree.read(`src/functions/${module}.ts`) ?? '').includes(STEP_MARKER)
    const shaped = [...steps.values()].every((step) => step.kind === 'function' && isStep(step.module))
    const byLoop = (node: PipelineNode) => loopMax(label(node))
    const test = generatePipelineTest({
      branches: hasBranches(root),
      exportName: names.camel,
      kebab: names.kebab,
      shaped,
      whenContinuing: simulate(root, steps, {continue: true, ok: true}, byLoop),
      whenStopping: simulate(root, steps, {continue: false, ok: false}, byLoop),
    })
    return {
      context: {names},
      declarations: [
        ...scaffold.flatMap((name) => ownContext(functionGenerator.prepare(project, tree, {name, pipelineStep: true}, 'generate'))),
        ...workflowDeclarations(source, test),
        {
          entry: {loopMax: stored?.loopMax, operators, scaffolded: [...new Set([...(stored?.scaffolded ?? []), ...scaffold])]},
          name: names.camel,
          type: 'pipeline',
        },
      ],
      kind: 'pipeline',
      names,
    }
  },
}

/** Another generator's declarations, each template carrying that generator's context. */
const ownContext = (prepared: Prepared): Declaration[] =>
  prepared.declarations.map((declaration) => (declaration.type === 'template' ? {...declaration, context: prepared.context} : declaration))

