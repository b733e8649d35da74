import type {Config} from '@oclif/core'

import {pluginRules} from '../doctor/plugins.js'
import {coreRules} from '../doctor/rules/index.js'
import {doctorContext, runDoctor} from '../doctor/run.js'
import {runWorkflow, RunWorkflowResult} from '../drive/workflow.js'
import {listEntities} from '../engine/entities.js'
import {inventory, ListResult} from '../engine/inventory.js'
import {settle} from '../engine/lock.js'
import {CONFIG_FILE, findProjectRoot, loadProject} from '../engine/project.js'
import {Tree} from '../engine/tree.js'
import {isUserError} from '../errors.js'
import {pipelineNames} from '../pipeline/config.js'
import {PipelineSyntaxError, parsePipeline} from '../pipeline/parser.js'
import {resolveSteps, stepsOf} from '../pipeline/resolve.js'
import {generatorCatalog, GeneratorInfo} from './catalog.js'
import {FieldError} from './field-error.js'

/** restack list --json. */
export async function list(): Promise<ListResult> {
  const project = loadProject(process.cwd())
  await settle(project.root)
  return inventory(project)
}

export async function generators(config: Config, kind?: string): Promise<GeneratorInfo[]> {
  return generatorCatalog(config, kind)
}

/** restack doctor --json (without --fix): core and plugin rules. */
export async function doctor(config: Config, typecheck: boolean) {
  const root = findProjectRoot(process.cwd())
  if (root) await settle(root)
  const {failures, rules} = await pluginRules(config)
  for (const failure of failures) process.stderr.write(`restack mcp: a plugin's doctor rules could not be loaded: ${failure}\n`)
  const {repairs: _repairs, ...report} = await runDoctor(doctorContext(process.cwd(), typecheck), [...coreRules, ...rules])
  return {...report, ok: report.counts.error === 0}
}

export interface PipelineCheck {
  error?: {column: number; expected: string; found: string; message: string}
  ok: boolean
  operators: string
  steps: Array<{column: number; kind?: string; missing: boolean; module?: string; name: string}>
}

/**
 * The grammar check of generate pipeline, without generating: a syntax error comes back with its
 * column and caret line; in a project, each step says what it resolves to (or that it is missing,
 * which --scaffold-missing would create as a function).
 */
export function checkPipeline(operators: string): PipelineCheck {
  let tree
  try {
    tree = parsePipeline(operators)
  } catch (error) {
    if (!(error instanceof PipelineSyntaxError)) throw error
    return {error: {column: error.column, expected: error.expected, found: error.found, message: error.message}, ok: false, operators, steps: []}
  }

  const root = findProjectRoot(process.cwd())
  let resolved: ReturnType<typeof resolveSteps> | undefined
  if (root) {
    try {
      const project = loadProject(root)
      const files = new Tree(project.root)
      const pipelines = new Set(pipelineNames(files.read(CONFIG_FILE) ?? ''))
      resolved = resolveSteps(tree, listEntities(files, project.config.defaults.taskQueue), {defaultQueue: project.config.defaults.taskQueue, pipelines, scaffoldMissing: true})
    } catch (error) {
      if (!isUserError(error)) throw error // an invalid restack.yaml: the grammar check still stands
    }
  }

  const steps = stepsOf(tree).map((step) => {
    const found = resolved?.get(step.name)
    return {column: step.start + 1, missing: found ? found.scaffold : false, name: step.name, ...(found && !found.scaffold ? {kind: found.kind, module: found.module} : {})}
  })
  return {ok: true, operators, steps}
}

/** restack run workflow --json, with the input as an object. */
export async function runWorkflowTool(args: {id?: string; input?: Record<string, unknown>; name: string; timeoutSeconds?: number}): Promise<RunWorkflowResult> {
  if (args.name.trim() === '') throw new FieldError('name', 'the workflow name is empty.')
  return runWorkflow({cwd: process.cwd(), id: args.id, input: JSON.stringify(args.input ?? {}), name: args.name, timeoutSeconds: args.timeoutSeconds ?? 60})
}
