import {NameTakenError, quote, UserError} from '../../errors.js'
import {barrelOf} from '../../engine/entities.js'
import {CONFIG_FILE} from '../../engine/project.js'
import {pipelineNames} from '../../pipeline/config.js'
import {ERROR_MESSAGE} from '../declarations.js'
import {EntityGenerator, namesFor, testPath, unitQueue} from '../entity.js'

export interface WorkflowOptions {
  name: string
  /** a task queue of its own: a service runs the workflows there, and its scripts schedule it there */
  taskQueue?: string
}

export const workflowGenerator: EntityGenerator<WorkflowOptions> = {
  kind: 'workflow',
  prepare(project, tree, options, mode) {
    const names = namesFor(project, tree, 'workflow', options.name, mode)
    if (pipelineNames(tree.read(CONFIG_FILE) ?? '').includes(names.camel)) {
      const message =
        `${quote(names.camel)} is a pipeline (${CONFIG_FILE}: pipelines.${names.camel}), compiled into ${names.file}; ${mode === 'generate' ? 'generating a workflow there would replace it and leave restack.yaml out of sync' : 'destroying it as a workflow would leave its entry in restack.yaml'}. Use "restack ${mode === 'generate' ? 'g' : 'd'} pipeline ${names.camel}"${mode === 'generate' ? ', or choose another name for the workflow' : ''}.`
      throw mode === 'generate' ? new NameTakenError(message, {file: names.file, kind: 'pipeline', name: names.camel}, 'workflow') : new UserError(message)
    }

    const taskQueue = mode === 'generate' ? unitQueue(project, options.taskQueue) : undefined
    return {
      context: {unitQueue: taskQueue ?? null, names, taskQueue: project.config.defaults.taskQueue},
      declarations: [
        {defaultQueue: project.config.defaults.taskQueue, kind: 'workflow', name: names.camel, taskQueue, type: 'unit-service'},
        {path: names.file, template: 'workflow/workflow.ts.hbs', type: 'template'},
        {path: testPath('workflow', names), template: 'workflow/test.ts.hbs', type: 'template'},
        {taskQueue: project.config.defaults.taskQueue, type: 'test-kit'},
        {path: `scripts/run-${names.kebab}.ts`, template: 'workflow/run.ts.hbs', type: 'template'},
        {path: ERROR_MESSAGE.path, template: ERROR_MESSAGE.template, type: 'support'},
        {barrel: barrelOf('workflow'), module: names.camel, type: 'barrel'},
        {command: `tsx scripts/run-${names.kebab}.ts`, name: `run:${names.kebab}`, type: 'script'},
      ],
      kind: 'workflow',
      names,
    }
  },
}
