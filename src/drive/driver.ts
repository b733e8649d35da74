import {spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {quote, UserError} from '../errors.js'
import {listEntities} from '../engine/entities.js'
import {CONFIG_FILE, loadProject, Project} from '../engine/project.js'
import {Tree} from '../engine/tree.js'
import {EntityKind} from '../engine/entities.js'
import {unitRef, UnitRef} from '../generators/references.js'
import {pipelineNames} from '../pipeline/config.js'
import {nameKey} from '../pipeline/resolve.js'
import {engineAddress, serviceEnv} from '../server/env.js'
import {probeEngine} from '../server/probe.js'

/** A project ready to be driven through its own client: its dependencies installed, its engine answering. */
export interface Driven {
  env: NodeJS.ProcessEnv
  project: Project
}

/** The project around `cwd` (the unit names are checked against it before anything else runs). */
export const projectAt = (cwd: string): Project => loadProject(cwd)

/** A project with its .env; fails with one paragraph when its client cannot run or reach the engine. */
export async function drive(project: Project): Promise<Driven> {
  if (!existsSync(join(project.root, 'node_modules', 'tsx'))) {
    throw new UserError('The project\'s dependencies are not installed (node_modules/tsx is missing), and its own client does the work. Run "npm install" in the project first.')
  }

  const env = serviceEnv(project.root)
  await probeEngine(engineAddress(env))
  return {env, project}
}

/** The project's units of `kind` (files that exist), named as references name them. */
export function unitsOf(project: Project, kind: EntityKind): UnitRef[] {
  const tree = new Tree(project.root)
  const pipelines = pipelineNames(tree.read(CONFIG_FILE) ?? '')
  return listEntities(tree, project.config.defaults.taskQueue)
    .filter((entity) => entity.kind === kind && entity.fileExists)
    .map((entity) => unitRef(kind, entity.name, pipelines))
}

/** The unit a name means, in any case or style (`Greeter`, `agentGreeter`, `greeter`). */
export const findUnit = (units: UnitRef[], name: string): UnitRef | undefined =>
  units.find((unit) => [nameKey(unit.module), nameKey(unit.exportName)].includes(nameKey(name)))

/** A JSON flag's value; bad JSON is one paragraph naming the flag. */
export function parseJsonFlag(flag: string, text: string | undefined, fallback: unknown): unknown {
  if (text === undefined) return fallback
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new UserError(`${flag} ${quote(text)} is not JSON (${(error as Error).message}). Pass JSON, e.g. ${flag} '{"name":"Ada"}'.`)
  }
}

/** How a driver run ended: its JSON answer, or the one line it failed with, or a timeout. */
export type DriverOutcome = {ok: true; value: unknown} | {message: string; ok: false; timedOut: boolean}

/**
 * Runs `script` (CommonJS, in the project, through tsx so it can require src/client.ts) with `args`
 * as JSON in process.argv[1]. The script writes one JSON value on stdout, or one line on stderr and
 * exits 1; "RESTACK_TIMEOUT" on stderr with exit 3 means it gave up waiting.
 */
export async function runDriver({env, project}: Driven, script: string, args: unknown[], deadlineMs: number): Promise<DriverOutcome> {
  const {code, stderr, stdout} = await new Promise<{code: null | number; stderr: string; stdout: string}>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script, JSON.stringify(args)], {
      cwd: project.root,
      env: {...env, RESTACK_DRIVER_DEADLINE_MS: String(deadlineMs)},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let [out, err] = ['', '']
    child.stdout.on('data', (chunk) => (out += chunk))
    child.stderr.on('data', (chunk) => (err += chunk))
    child.once('error', reject)
    child.once('close', (status) => resolve({code: status, stderr: err, stdout: out}))
  })
  if (code === 0) return {ok: true, value: JSON.parse(stdout)}
  const message = stderr.trim().split('\n').at(-1) || `exit ${code}`
  return {message: message.replace(/[.\s]*$/, '.'), ok: false, timedOut: code === 3}
}

/**
 * The head every driver script shares: the project's client, its arguments, and `answer(work)`,
 * which prints work's value as JSON, or one line of error (exit 1; exit 3 when a bounded wait of the
 * client ran out). A deadline past every bounded wait stops a call that hangs for another reason.
 */
export const DRIVER_HEAD = `
const { client } = require("./src/client");
const args = JSON.parse(process.argv[1]);
const deadline = setTimeout(() => {
  process.stderr.write("No answer within " + Number(process.env.RESTACK_DRIVER_DEADLINE_MS) / 1000 + " s.");
  process.exit(3);
}, Number(process.env.RESTACK_DRIVER_DEADLINE_MS));
const oneLine = (error) => {
  const messages = [];
  for (let e = error; e && messages.length < 5; e = e.cause) messages.push(e.message || String(e));
  return messages.join(": ").replace(/\\s+/g, " ");
};
const answer = (work) =>
  work()
    .then((value) => process.stdout.write(JSON.stringify(value === undefined ? null : value)))
    .catch((error) => {
      const message = oneLine(error);
      process.stderr.write(message);
      process.exitCode = /^No answer to .* within/.test(message) ? 3 : 1;
    })
    .finally(() => {
      clearTimeout(deadline);
      return client.close();
    });
`
