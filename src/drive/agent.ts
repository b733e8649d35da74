import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {quote, UserError} from '../errors.js'
import {Project} from '../engine/project.js'
import {drive, DRIVER_HEAD, findUnit, parseJsonFlag, projectAt, runDriver, unitsOf} from './driver.js'

/** `restack run:agent --json`: the agent scheduled, as `npm run schedule:<agent>` prints it. */
export interface RunAgentResult {
  agent: string
  agentId: string
  runId: string
}

/** `restack agent:event --json`: what the event's handler returned. */
export interface AgentEventResult {
  agentId: string
  event: string
  result: unknown
}

/** `restack agent:result --json`: what the agent returned when it ended. */
export interface AgentResultResult {
  agentId: string
  result: unknown
}

/** `restack agent:state --json`: the agent's state under one name (restack-ai's get_agent_state). */
export interface AgentStateResult {
  agentId: string
  name: string
  state: unknown
}

// Each runs in the project, through its own client (src/client.ts: its .env and connection settings).
const SCHEDULE = `${DRIVER_HEAD}
const [agentName, agentId, input] = args;
answer(async () => ({ runId: await client.scheduleAgent({ agentName, agentId, input }) }));
`
const EVENT = `${DRIVER_HEAD}
const [agentId, name, input, timeout] = args;
answer(() => client.sendAgentEvent({ event: { name, input }, agent: { agentId }, waitForCompletion: true, timeout: timeout * 1000 }));
`
const RESULT = `${DRIVER_HEAD}
const [agentId, timeout] = args;
answer(() => client.getAgentResult({ agentId, timeout: timeout * 1000 }));
`
// Without a name, each state the project's agents define is asked for until one is registered.
const STATE = `${DRIVER_HEAD}
const [agentId, names, timeout] = args;
answer(async () => {
  const answered = [];
  for (const stateName of names) {
    try {
      answered.push({ name: stateName, state: await client.getAgentState({ agentId, stateName, timeout: timeout * 1000 }) });
    } catch (error) {
      if (names.length === 1 || !/did not register a handler|not registered|unknown query/i.test(oneLine(error))) throw error;
    }
  }
  if (answered.length === 0) throw new Error("it answers none of the states the project's agents define (" + names.join(", ") + "); pass the one it has with --name");
  if (answered.length > 1) throw new Error("it has several states (" + answered.map((a) => a.name).join(", ") + "); pass one with --name");
  return answered[0];
});
`

export interface DriveAgentOptions {
  agentId: string
  cwd: string
  timeoutSeconds: number
}

/** Seconds past the client's own bounded wait before the driver gives up on a call that hangs. */
const GRACE_SECONDS = 20

/** Schedules an agent of the project with JSON input and returns its id and run id (the service need not run yet). */
export async function runAgent(options: {cwd: string; id?: string; input?: string; name: string}): Promise<RunAgentResult> {
  const project = projectAt(options.cwd)
  const units = unitsOf(project, 'agent')
  const found = findUnit(units, options.name)
  if (!found) {
    throw new UserError(
      `${quote(options.name)} is not an agent of this project; it has ${units.map((unit) => unit.module).join(', ') || 'none'}. Generate it first ("restack g agent ${options.name}"), or pass one of those names.`,
    )
  }

  const input = parseJsonFlag('--input', options.input, {})
  const agentId = options.id ?? `${Date.now()}-${found.module}`
  const outcome = await runDriver(await drive(project), SCHEDULE, [found.exportName, agentId, input], GRACE_SECONDS * 1000)
  if (!outcome.ok) throw new UserError(`Scheduling ${found.exportName} (agent id ${quote(agentId)}) failed: ${outcome.message} Check the id (one that is running cannot be reused) and the engine, then try again.`)
  return {agent: found.exportName, agentId, runId: (outcome.value as {runId: string}).runId}
}

/** Sends an agent an event with JSON input and returns what its handler returned. */
export async function sendAgentEvent(options: DriveAgentOptions & {event: string; input?: string}): Promise<AgentEventResult> {
  const project = projectAt(options.cwd)
  const input = parseJsonFlag('--input', options.input, undefined)
  const outcome = await runDriver(await drive(project), EVENT, [options.agentId, options.event, input, options.timeoutSeconds], (options.timeoutSeconds + GRACE_SECONDS) * 1000)
  if (!outcome.ok) {
    throw new UserError(
      `The event ${quote(options.event)} to the agent ${quote(options.agentId)} ${outcome.timedOut ? 'was not taken' : 'failed'}: ${outcome.message} ${outcome.timedOut ? 'Start the service that runs it ("restack run:server"), or raise --timeout.' : 'Check the agent id ("restack run:agent" prints it) and the event name, which is sent exactly as given.'}`,
    )
  }

  return {agentId: options.agentId, event: options.event, result: outcome.value}
}

/** Waits for an agent's result: it ends once it receives its "end" event. */
export async function agentResult(options: DriveAgentOptions): Promise<AgentResultResult> {
  const project = projectAt(options.cwd)
  const outcome = await runDriver(await drive(project), RESULT, [options.agentId, options.timeoutSeconds], (options.timeoutSeconds + GRACE_SECONDS) * 1000)
  if (!outcome.ok) {
    throw new UserError(
      outcome.timedOut
        ? `The agent ${quote(options.agentId)} did not end within ${options.timeoutSeconds} s: ${outcome.message} An agent returns its result once it receives "end" ("restack agent:event ${options.agentId} end"); raise --timeout to wait longer.`
        : `The agent ${quote(options.agentId)} has no result: ${outcome.message} Check the agent id ("restack run:agent" prints it).`,
    )
  }

  return {agentId: options.agentId, result: outcome.value}
}

/** State names the project's agents define: `defineMemory<...>("name")` (@restackio/ai/memory) or the older `defineState`. */
export function stateNames(project: Project): string[] {
  const names = new Set<string>()
  for (const unit of unitsOf(project, 'agent')) {
    const source = readFileSync(join(project.root, 'src/agents', `${unit.module}.ts`), 'utf8')
    for (const match of source.matchAll(/\bdefine(?:Memory|State)\s*(?:<[^>]*>)?\s*\(\s*["'`]([^"'`]+)["'`]/g)) names.add(match[1])
  }

  return [...names]
}

/** Reads an agent's state (a query a worker running it answers), under `name` or the one it has. */
export async function agentState(options: DriveAgentOptions & {name?: string}): Promise<AgentStateResult> {
  const project = projectAt(options.cwd)
  const names = options.name === undefined ? stateNames(project) : [options.name]
  if (names.length === 0) {
    throw new UserError('No agent of this project defines a state (defineMemory("name") with handleMemory in src/agents/), so there is nothing to read. Pass the name the agent answers to with --name, or add a state to the agent.')
  }

  const outcome = await runDriver(await drive(project), STATE, [options.agentId, names, options.timeoutSeconds], (options.timeoutSeconds * names.length + GRACE_SECONDS) * 1000)
  if (!outcome.ok) {
    throw new UserError(
      `Reading the state of the agent ${quote(options.agentId)} ${outcome.timedOut ? 'got no answer' : 'failed'}: ${outcome.message} ${outcome.timedOut ? 'A worker running the agent answers state reads: start the service ("restack run:server"), or raise --timeout.' : 'Check the agent id ("restack run:agent" prints it) and --name.'}`,
    )
  }

  const {name, state} = outcome.value as {name: string; state: unknown}
  return {agentId: options.agentId, name, state}
}
