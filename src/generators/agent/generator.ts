import {quote, UserError} from '../../errors.js'
import {barrelOf} from '../../engine/entities.js'
import {toNames} from '../../engine/names.js'
import {ERROR_MESSAGE} from '../declarations.js'
import {EntityGenerator, namesFor, testPath, unitQueue} from '../entity.js'

export interface AgentOptions {
  /** event names besides "end", which every agent has */
  events?: string[]
  name: string
  /** a task queue of its own: a service runs the agents there, and its scripts schedule it there */
  taskQueue?: string
}

export const DEFAULT_EVENTS = ['message']

/** Identifiers an event's constant (`<camel>Event`) must not take: the agent file declares or imports them. */
const TAKEN_EVENT_CONSTS = new Set(['defineEvent', 'endEvent', 'onEvent'])

/**
 * Each event's wire name is exactly what the user typed ("user-feedback" is sent as "user-feedback");
 * its constant in the agent file is the camel-case form. Names whose constants would collide, or that
 * take a constant the agent file already has, are refused with the mapping shown.
 */
export function agentEvents(requested: string[]): Array<{constName: string; name: string; pascal: string}> {
  const events = new Map<string, {constName: string; name: string; pascal: string}>()
  for (const typed of requested.map((event) => event.trim())) {
    if (!/^[A-Za-z][\w-]*$/.test(typed)) {
      const hint = toNames(typed.replaceAll(/[^\w-]+/g, ' ').trim() || 'message', 'event name').kebab
      throw new UserError(`${quote(typed)} is not a valid event name for --events: an event is sent by this exact name, so use a letter, then letters, digits, "-" or "_", e.g. ${quote(hint)}.`)
    }

    if (typed === 'end') {
      throw new UserError(`${quote('end')} is not a valid event name for --events: every agent already has an "end" event that finishes it. Name the others, e.g. --events message,feedback.`)
    }

    const eventNames = toNames(typed, 'event name')
    const constName = `${eventNames.camel}Event`
    if (TAKEN_EVENT_CONSTS.has(constName)) {
      throw new UserError(
        `${quote(typed)} is not a valid event name for --events: its handler constant would be ${quote(constName)} (${quote(typed)} -> ${constName}), which the agent file already uses. Choose another name, e.g. ${quote(`${typed}-request`)}.`,
      )
    }

    const same = events.get(constName)
    if (same && same.name !== typed) {
      throw new UserError(
        `--events has ${quote(same.name)} and ${quote(typed)}, which are one constant in the agent (${quote(same.name)} -> ${constName}, ${quote(typed)} -> ${constName}) but two names on the wire. Keep one of them.`,
      )
    }

    events.set(constName, {constName, name: typed, pascal: eventNames.pascal})
  }

  return [...events.values()]
}

export const agentGenerator: EntityGenerator<AgentOptions> = {
  kind: 'agent',
  prepare(project, tree, options, mode) {
    const names = namesFor(project, tree, 'agent', options.name, mode)
    const requested = options.events && options.events.length > 0 ? options.events : DEFAULT_EVENTS
    const events = agentEvents(requested)

    const taskQueue = mode === 'generate' ? unitQueue(project, options.taskQueue) : undefined
    return {
      context: {unitQueue: taskQueue ?? null, events, names, taskQueue: project.config.defaults.taskQueue},
      declarations: [
        {defaultQueue: project.config.defaults.taskQueue, kind: 'agent', name: names.camel, taskQueue, type: 'unit-service'},
        {path: names.file, template: 'agent/agent.ts.hbs', type: 'template'},
        {path: testPath('agent', names), template: 'agent/test.ts.hbs', type: 'template'},
        {taskQueue: project.config.defaults.taskQueue, type: 'test-kit'},
        {path: `scripts/schedule-${names.kebab}.ts`, template: 'agent/schedule.ts.hbs', type: 'template'},
        {path: `scripts/event-${names.kebab}.ts`, template: 'agent/event.ts.hbs', type: 'template'},
        {path: ERROR_MESSAGE.path, template: ERROR_MESSAGE.template, type: 'support'},
        {barrel: barrelOf('agent'), module: names.camel, type: 'barrel'},
        {command: `tsx scripts/schedule-${names.kebab}.ts`, name: `schedule:${names.kebab}`, type: 'script'},
        {command: `tsx scripts/event-${names.kebab}.ts`, name: `event:${names.kebab}`, type: 'script'},
      ],
      kind: 'agent',
      names,
    }
  },
}
