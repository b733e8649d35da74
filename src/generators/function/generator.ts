import {quote, UserError} from '../../errors.js'
import {functionQueues, SERVICES_FILE} from '../../ast/services.js'
import {barrelOf} from '../../engine/entities.js'
import {EntityGenerator, namesFor, testPath} from '../entity.js'

export interface FunctionOptions {
  maxConcurrent?: number
  name: string
  /** a pipeline step scaffolded by generate:pipeline: takes and returns the pipeline's data */
  pipelineStep?: boolean
  rateLimit?: number
  /** a dedicated task queue, with a service of its own in services.ts */
  taskQueue?: string
}

/** The runtime's `log` under another local name when the function itself is called `log`. */
const runtimeNames = (exportName: string): {log: string; logImport: string} =>
  exportName === 'log' ? {log: 'restackLog', logImport: 'log as restackLog'} : {log: 'log', logImport: 'log'}

export const functionGenerator: EntityGenerator<FunctionOptions> = {
  kind: 'function',
  prepare(project, tree, options, mode) {
    const names = namesFor(project, tree, 'function', options.name, mode)
    const defaultQueue = project.config.defaults.taskQueue
    if (options.taskQueue !== undefined && !/^[\w.-]+$/.test(options.taskQueue)) {
      throw new UserError(`${quote(options.taskQueue)} is not a valid task queue: use letters, digits, ".", "-" and "_", e.g. "email".`)
    }

    // Destroying, the queue is the one services.ts has it on.
    const services = mode === 'destroy' ? tree.read(SERVICES_FILE) : undefined
    const requested = mode === 'destroy' ? (services ? functionQueues(services, defaultQueue).get(names.camel) : undefined) : options.taskQueue
    const taskQueue = requested === defaultQueue ? undefined : requested
    if (!taskQueue && (options.rateLimit !== undefined || options.maxConcurrent !== undefined)) {
      throw new UserError(
        `--rate-limit and --max-concurrent limit a function's own task queue, and ${quote(names.camel)} has none. Add --task-queue <name> (e.g. --task-queue ${names.kebab}), or drop the limits.`,
      )
    }

    return {
      context: {names, runtime: runtimeNames(names.exportName), taskQueue: taskQueue ?? null},
      declarations: [
        {path: names.file, template: options.pipelineStep ? 'function/pipeline-step.ts.hbs' : 'function/function.ts.hbs', type: 'template'},
        {path: testPath('function', names), template: options.pipelineStep ? 'function/pipeline-step.test.ts.hbs' : 'function/test.ts.hbs', type: 'template'},
        {taskQueue: project.config.defaults.taskQueue, type: 'test-kit'},
        {barrel: barrelOf('function'), module: names.camel, type: 'barrel'},
        // before the registration, so that destroy (which runs backwards) sees services.ts without it
        ...(taskQueue ? [{queue: taskQueue, type: 'queue' as const}] : []),
        {registration: {defaultQueue, maxConcurrent: options.maxConcurrent, name: names.camel, rateLimit: options.rateLimit, taskQueue}, type: 'function'},
      ],
      kind: 'function',
      names,
    }
  },
}
