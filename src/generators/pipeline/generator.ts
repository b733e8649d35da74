import {NameTakenError, quote, UserError} from '../../errors.js'
import {barrelOf, listEntities} from '../../engine/entities.js'
import {splitWords, toNames} from '../../engine/names.js'
import {CONFIG_FILE} from '../../engine/project.js'
import {generatePipeline, label, predicatesPath} from '../../pipeline/codegen.js'
import {pipelineNames, readPipeline, unknownPipeline} from '../../pipeline/config.js'
import {describeObsolete, obsoletePredicates} from '../../pipeline/predicates.js'
import {PipelineNode} from '../../pipeline/ir.js'
import {parsePipeline} from '../../pipeline/parser.js'
import {hasBranches, nameKey, ResolvedStep, resolveSteps, stepsOf} from '../../pipeline/resolve.js'
import {simulate} from '../../pipeline/simulate.js'
import {generatePipelineTest} from '../../pipeline/testgen.js'
import {Declaration, ERROR_MESSAGE, PIPELINE_DATA} from '../declarations.js'
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
      // like a workflow's: "npm run run:<name> -- '{...}'" starts it and prints its result
      {path: `scripts/run-${names.kebab}.ts`, template: 'workflow/run.ts.hbs', type: 'template'},
      {path: ERROR_MESSAGE.path, template: ERROR_MESSAGE.template, type: 'support'},
      {path: PIPELINE_DATA.path, template: PIPELINE_DATA.template, type: 'support'},
      {command: `tsx scripts/run-${names.kebab}.ts`, name: `run:${names.kebab}`, type: 'script'},
    ]

    if (mode === 'destroy') {
      if (!stored && !entities.some((entity) => entity.kind === 'workflow' && entity.name === names.camel)) {
        throw new UserError(`There is no pipeline ${quote(names.camel)} to destroy: ${CONFIG_FILE} has no pipelines.${names.camel} and there is no ${names.file}. "restack list" shows what the project has.`)
      }

      const scaffolded = (stored?.scaffolded ?? []).filter((name) => entities.some((entity) => entity.kind === 'function' && entity.name === name))
      return {
        context: {names, taskQueue: project.config.defaults.taskQueue},
        declarations: [
          ...scaffolded.flatMap((name) => ownContext(functionGenerator.prepare(project, tree, {name}, 'destroy'))),
          ...workflowDeclarations('', ''),
          {exportName: names.camel, path: predicatesPath(names.camel), predicates: [], type: 'predicates'},
          {entry: stored ?? {operators: ''}, name: names.camel, type: 'pipeline'},
        ],
        kind: 'pipeline',
        names,
      }
    }

    const taken = entities.find((entity) => entity.name === names.camel && (entity.fileExists || entity.barrel) && (entity.kind !== 'workflow' || !stored))
    if (taken) {
      throw new NameTakenError(
        `${quote(options.name)} is already taken: the project has ${taken.kind === 'agent' ? 'an' : 'a'} ${taken.kind} ${quote(taken.name)} (${taken.file}) that is not a pipeline. Choose another name for the pipeline.`,
        {file: taken.file, kind: taken.kind, name: taken.name},
        'pipeline',
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
    assertNoCycle(names.camel, steps, config)
    const scaffold = [...new Set([...steps.values()].filter((step) => step.scaffold).map((step) => step.module))]
    const loopMax = (key: string): number => stored?.loopMax?.[key] ?? project.config.defaults.pipelineLoopMax
    const {predicates, source} = generatePipeline({exportName: names.camel, expression: operators, loopMax, pascal: names.pascal, root, steps})
    const predicatesSource = tree.read(predicatesPath(names.camel))
    const obsolete = predicatesSource === undefined ? [] : obsoletePredicates(predicatesSource, predicatesPath(names.camel), predicates.map((predicate) => predicate.name))
    const isStep = (module: string) => scaffold.includes(module) || (tree.read(`src/functions/${module}.ts`) ?? '').includes(STEP_MARKER)
    const shaped = [...steps.values()].every((step) => step.kind === 'function' && isStep(step.module))
    const byLoop = (node: PipelineNode) => loopMax(label(node))
    // Scaffolded steps pass the data on, flags included; other units return their own shapes, without flags.
    const echoes = (step: ResolvedStep) => step.kind === 'function' && isStep(step.module)
    const test = generatePipelineTest({
      branches: hasBranches(root),
      exportName: names.camel,
      kebab: names.kebab,
      shaped,
      whenContinuing: simulate(root, steps, {continue: true, ok: true}, byLoop, echoes),
      whenStopping: simulate(root, steps, {continue: false, ok: false}, byLoop, echoes),
    })
    return {
      context: {names, taskQueue: project.config.defaults.taskQueue},
      declarations: [
        ...scaffold.flatMap((name) => ownContext(functionGenerator.prepare(project, tree, {name, pipelineStep: true}, 'generate'))),
        ...workflowDeclarations(source, test),
        ...(predicates.length > 0 ? [{exportName: names.camel, path: predicatesPath(names.camel), predicates, type: 'predicates' as const}] : []),
        {
          entry: {loopMax: stored?.loopMax, operators, scaffolded: [...new Set([...(stored?.scaffolded ?? []), ...scaffold])]},
          name: names.camel,
          type: 'pipeline',
        },
      ],
      // Compiled output: a new expression rewrites it without asking (a hand-edited file is still a conflict).
      derived: stored ? [names.file, testFile] : [],
      kind: 'pipeline',
      names,
      notices:
        obsolete.length > 0
          ? [`Note: ${describeObsolete(names.camel, predicatesPath(names.camel), obsolete)}. The file is yours, so restack leaves ${obsolete.length === 1 ? 'it' : 'them'} in place; delete ${obsolete.length === 1 ? 'it' : 'them'} if you no longer need ${obsolete.length === 1 ? 'it' : 'them'}.`]
          : undefined,
    }
  },
}

/**
 * Pipelines call other pipelines as children: a cycle through restack.yaml's pipelines
 * (One → Two → One) would recurse until the engine gives up, so it is refused, naming the cycle.
 */
function assertNoCycle(name: string, steps: Map<string, ResolvedStep>, config: string): void {
  const pipelines = pipelineNames(config)
  const byKey = new Map(pipelines.map((pipeline) => [nameKey(pipeline), pipeline]))
  const calls = new Map<string, string[]>()
  for (const pipeline of pipelines) {
    if (pipeline === name) continue
    const operators = readPipeline(config, pipeline)?.operators
    let stepNames: string[] = []
    try {
      stepNames = operators ? stepsOf(parsePipeline(operators)).map((step) => step.name) : []
    } catch {
      // A broken stored expression is its own pipeline's problem, reported when that one is generated.
    }

    calls.set(pipeline, [...new Set(stepNames.map((step) => byKey.get(nameKey(step))).filter((callee): callee is string => callee !== undefined))])
  }

  calls.set(name, [...new Set([...steps.values()].filter((step) => step.kind === 'workflow' && (byKey.has(nameKey(step.module)) || step.module === name)).map((step) => step.module))])
  const path: string[] = []
  const visit = (node: string): string[] | undefined => {
    const at = path.indexOf(node)
    if (at !== -1) return [...path.slice(at), node]
    path.push(node)
    for (const callee of calls.get(node) ?? []) {
      const cycle = visit(callee)
      if (cycle) return cycle
    }

    path.pop()
    return undefined
  }

  const cycle = visit(name)
  if (cycle) {
    throw new UserError(
      `The pipeline ${quote(name)} would call itself through ${cycle.join(' → ')}: each pipeline runs the next as a child workflow, so the run would never end. Remove one of those steps from its expression (${CONFIG_FILE}: pipelines), then run the command again; nothing was written.`,
    )
  }
}

/** Another generator's declarations, each template carrying that generator's context. */
const ownContext = (prepared: Prepared): Declaration[] =>
  prepared.declarations.map((declaration) => (declaration.type === 'template' ? {...declaration, context: prepared.context} : declaration))

