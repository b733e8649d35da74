import {barrelOf} from '../../engine/entities.js'
import {EntityGenerator, namesFor, testPath} from '../entity.js'

export interface WorkflowOptions {
  name: string
}

export const workflowGenerator: EntityGenerator<WorkflowOptions> = {
  kind: 'workflow',
  prepare(project, tree, options, mode) {
    const names = namesFor(project, tree, 'workflow', options.name, mode)
    return {
      context: {names, taskQueue: project.config.defaults.taskQueue},
      declarations: [
        {path: names.file, template: 'workflow/workflow.ts.hbs', type: 'template'},
        {path: testPath('workflow', names), template: 'workflow/test.ts.hbs', type: 'template'},
        {path: `scripts/run-${names.kebab}.ts`, template: 'workflow/run.ts.hbs', type: 'template'},
        {barrel: barrelOf('workflow'), module: names.camel, type: 'barrel'},
        {command: `tsx scripts/run-${names.kebab}.ts`, name: `run:${names.kebab}`, type: 'script'},
      ],
      kind: 'workflow',
      names,
    }
  },
}
