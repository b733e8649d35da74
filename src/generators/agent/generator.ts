import {quote, UserError} from '../../errors.js'
import {barrelOf} from '../../engine/entities.js'
import {toNames} from '../../engine/names.js'
import {EntityGenerator, namesFor, testPath} from '../entity.js'

export interface AgentOptions {
  /** event names besides "end", which every agent has */
  events?: string[]
  name: string
}

export const DEFAULT_EVENTS = ['message']

export const agentGenerator: EntityGenerator<AgentOptions> = {
  kind: 'agent',
  prepare(project, tree, options, mode) {
    const names = namesFor(project, tree, 'agent', options.name, mode)
    const requested = options.events && options.events.length > 0 ? options.events : DEFAULT_EVENTS
    const events = [...new Map(requested.map((event) => {
      const eventNames = toNames(event, 'event name')
      return [eventNames.camel, {constName: `${eventNames.camel}Event`, name: eventNames.camel, pascal: eventNames.pascal}]
    })).values()]
    if (events.some((event) => event.name === 'end')) {
      throw new UserError(`${quote('end')} is not a valid event name for --events: every agent already has an "end" event that finishes it. Name the others, e.g. --events message,feedback.`)
    }

    return {
      context: {events, names, taskQueue: project.config.defaults.taskQueue},
      declarations: [
        {path: names.file, template: 'agent/agent.ts.hbs', type: 'template'},
        {path: testPath('agent', names), template: 'agent/test.ts.hbs', type: 'template'},
        {path: `scripts/schedule-${names.kebab}.ts`, template: 'agent/schedule.ts.hbs', type: 'template'},
        {path: `scripts/event-${names.kebab}.ts`, template: 'agent/event.ts.hbs', type: 'template'},
        {barrel: barrelOf('agent'), module: names.camel, type: 'barrel'},
        {command: `tsx scripts/schedule-${names.kebab}.ts`, name: `schedule:${names.kebab}`, type: 'script'},
        {command: `tsx scripts/event-${names.kebab}.ts`, name: `event:${names.kebab}`, type: 'script'},
      ],
      kind: 'agent',
      names,
    }
  },
}
