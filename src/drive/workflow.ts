import {spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {quote, UserError} from '../errors.js'
import {listEntities} from '../engine/entities.js'
import {CONFIG_FILE, loadProject} from '../engine/project.js'
import {Tree} from '../engine/tree.js'
import {unitRef} from '../generators/references.js'
import {pipelineNames} from '../pipeline/config.js'
import {nameKey} from '../pipeline/resolve.js'
import {engineAddress, serviceEnv} from '../server/env.js'
import {probeEngine} from '../server/probe.js'

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
const DRIVER = `
const { client } = require("./src/client");
const [workflowName, workflowId, input, timeout] = JSON.parse(process.argv[1]);
const timer = setTimeout(() => {
  process.stderr.write("RESTACK_TIMEOUT");
  process.exit(3);
}, timeout * 1000);
(async () => {
  await client.scheduleWorkflow({ workflowName, workflowId, input });
  const result = await client.getWorkflowResult({ workflowId });
  process.stdout.write(JSON.stringify({ result: result === undefined ? null : result }));
})()
  .catch((error) => {
    process.stderr.write(String((error && (error.cause && error.cause.message || error.message)) || error));
    process.exitCode = 1;
  })
  .finally(() => {
    clearTimeout(timer);
    return client.close();
  });
`

/**
 * Starts a workflow or pipeline of the project with JSON input and waits for its result, through the
 * project's own client: the engine must answer and the service (restack run:server) must be running.
 */
export async function runWorkflow(options: RunWorkflowOptions): Promise<RunWorkflowResult> {
  const project = loadProject(options.cwd)
  const tree = new Tree(project.root)
  const pipelines = pipelineNames(tree.read(CONFIG_FILE) ?? '')
  const workflows = listEntities(tree, project.config.defaults.taskQueue).filter((entity) => entity.kind === 'workflow' && entity.fileExists)
  const refs = workflows.map((entity) => unitRef('workflow', entity.name, pipelines))
  const found = refs.find((ref) => [nameKey(ref.module), nameKey(ref.exportName)].includes(nameKey(options.name)))
  if (!found) {
    throw new UserError(
      `${quote(options.name)} is not a workflow or pipeline of this project; it has ${refs.map((ref) => ref.module).join(', ') || 'none'}. Generate it first ("restack g workflow ${options.name}"), or pass one of those names.`,
    )
  }

  let input: unknown = {}
  if (options.input !== undefined) {
    try {
      input = JSON.parse(options.input)
    } catch (error) {
      throw new UserError(`--input ${quote(options.input)} is not JSON (${(error as Error).message}). Pass an object, e.g. --input '{"name":"Ada"}'.`)
    }
  }

  if (!existsSync(join(project.root, 'node_modules', 'tsx'))) {
    throw new UserError('The project\'s dependencies are not installed (node_modules/tsx is missing), and its own client runs the workflow. Run "npm install" in the project first.')
  }

  const env = serviceEnv(project.root)
  await probeEngine(engineAddress(env))
  const workflowId = options.id ?? `${Date.now()}-${found.module}`
  const {code, stderr, stdout} = await new Promise<{code: null | number; stderr: string; stdout: string}>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', DRIVER, JSON.stringify([found.exportName, workflowId, input, options.timeoutSeconds])], {
      cwd: project.root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let [out, err] = ['', '']
    child.stdout.on('data', (chunk) => (out += chunk))
    child.stderr.on('data', (chunk) => (err += chunk))
    child.once('error', reject)
    child.once('close', (status) => resolve({code: status, stderr: err, stdout: out}))
  })
  if (code === 3 && stderr.includes('RESTACK_TIMEOUT')) {
    throw new UserError(
      `${found.exportName} (workflow id ${quote(workflowId)}) did not finish within ${options.timeoutSeconds} s. Is the service running ("restack run:server" in another terminal) with this workflow registered? It keeps running on the engine; raise --timeout to wait longer.`,
    )
  }

  if (code !== 0) {
    throw new UserError(`${found.exportName} (workflow id ${quote(workflowId)}) failed: ${stderr.trim().split('\n').at(-1) || `exit ${code}`}. Fix the workflow or its input, then run it again.`)
  }

  return {result: (JSON.parse(stdout) as {result: unknown}).result, workflow: found.exportName, workflowId}
}
