import {quote, UserError} from '../errors.js'
import {drive, DRIVER_HEAD, findUnit, parseJsonFlag, projectAt, runDriver, unitsOf} from './driver.js'

/** The `--json` result of `restack run:workflow`. */
export interface RunWorkflowResult {
  result: unknown
  workflow: string
  workflowId: string
}

export interface RunWorkflowOptions {
  cwd: string
  id?: string
  input?: string
  name: string
  timeoutSeconds: number
}

// Runs in the project, through its own client (src/client.ts: its .env and connection settings).
const DRIVER = `${DRIVER_HEAD}
const [workflowName, workflowId, input, timeout] = args;
answer(async () => {
  await client.scheduleWorkflow({ workflowName, workflowId, input });
  return { result: await client.getWorkflowResult({ workflowId, timeout: timeout * 1000 }) };
});
`

/**
 * Starts a workflow or pipeline of the project with JSON input and waits for its result, through the
 * project's own client: the engine must answer and the service (restack run:server) must be running.
 */
export async function runWorkflow(options: RunWorkflowOptions): Promise<RunWorkflowResult> {
  const project = projectAt(options.cwd)
  const units = unitsOf(project, 'workflow')
  const found = findUnit(units, options.name)
  if (!found) {
    throw new UserError(
      `${quote(options.name)} is not a workflow or pipeline of this project; it has ${units.map((ref) => ref.module).join(', ') || 'none'}. Generate it first ("restack g workflow ${options.name}"), or pass one of those names.`,
    )
  }

  const input = parseJsonFlag('--input', options.input, {})
  const driven = await drive(project)
  const workflowId = options.id ?? `${Date.now()}-${found.module}`
  const outcome = await runDriver(driven, DRIVER, [found.exportName, workflowId, input, options.timeoutSeconds], (options.timeoutSeconds + 20) * 1000)
  if (!outcome.ok && outcome.timedOut) {
    throw new UserError(
      `${found.exportName} (workflow id ${quote(workflowId)}) did not finish within ${options.timeoutSeconds} s. ${outcome.message} The run stays on the engine; raise --timeout to wait longer.`
    )
  }

  if (!outcome.ok) throw new UserError(`${found.exportName} (workflow id ${quote(workflowId)}) failed: ${outcome.message} Fix the workflow or its input, then run it again.`)
  return {result: (outcome.value as {result: unknown}).result, workflow: found.exportName, workflowId}
}
