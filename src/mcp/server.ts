import type {Config} from '@oclif/core'

import {McpServer} from '@modelcontextprotocol/sdk/server/mcp.js'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {z} from 'zod'

import {isUserError} from '../errors.js'
import {findProjectRoot} from '../engine/project.js'
import {projectSecrets, redact} from '../engine/redact.js'
import {PACKAGE_ROOT} from '../package-root.js'
import {serviceEnv} from '../server/env.js'
import {CLI_VERSION} from '../versions.js'
import {PlanBook, PlanResult} from './plans.js'
import {checkPipeline, doctor, generators, list, runWorkflowTool} from './tools.js'

/** The generated-code contract shipped with the CLI, and the project's own files an agent should read. */
export const CONTRACT_DOC = join(PACKAGE_ROOT, 'docs', 'contract.md')
const COMPAT_DOC = 'docs/restack-compat.md'

const INSTRUCTIONS = `This server is restack-gen's CLI for a Restack agent project (agents, workflows, functions, pipelines and prompts on a Temporal-compatible engine).
Grow the project through the generators instead of writing registration code by hand: call "generators" for the kinds and their options, "plan" to see the exact diff (nothing is written), then "apply" with the planId; "destroy" plans a removal the same way.
After a change, call "doctor" and run the project's tests (npm test) and type-check (npm run typecheck).
Read the resources "restack.yaml" and "generated-code-contract" for the rules generated code follows.`

/** Structured results of every CLI --json schema in schemas/, so the MCP output schema is the published one. */
const resultSchema = (name: string): z.ZodObject =>
  z.fromJSONSchema(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'schemas', `${name}.schema.json`), 'utf8'))) as unknown as z.ZodObject

const ACTIONS = ['conflict', 'create', 'delete', 'force', 'identical', 'skip', 'update'] as const
const planOutput = {
  command: z.string().describe('the same change as a restack command line'),
  diff: z.string().describe('the unified diff of every file the plan writes'),
  files: z.array(z.object({action: z.enum(ACTIONS), diff: z.string().optional(), path: z.string()})),
  kind: z.string(),
  mode: z.enum(['generate', 'destroy']),
  name: z.string(),
  planId: z.string().describe('pass to apply; apply refuses it if any of these files changed since'),
}
const planInput = {
  kind: z.string().min(1).describe('the kind: function, workflow, agent, pipeline, prompt, or a plugin kind (the generators tool lists them)'),
  name: z.string().describe('the name, any case: "send email", SendEmail, send-email'),
  options: z.record(z.string(), z.unknown()).optional().describe("the generator's options by flag name, e.g. {\"task-queue\": \"email\"}; the generators tool gives their JSON Schema"),
}

type Result = {content: Array<{text: string; type: 'text'}>; isError?: boolean; structuredContent?: Record<string, unknown>}

/** A tool's answer: the structured result (and its text), or an isError result with the one-paragraph message. */
async function answer<T extends object>(work: () => Promise<T>, text: (result: T) => string = (result) => JSON.stringify(result, null, 2)): Promise<Result> {
  try {
    const result = await work()
    return {content: [{text: text(result), type: 'text'}], structuredContent: result as Record<string, unknown>}
  } catch (error) {
    const message = (error as Error).message ?? String(error)
    const root = findProjectRoot(process.cwd())
    // Redaction by value, as on the command line: no message shows a secret of the project or its environment.
    const hidden = redact(message, projectSecrets(root, root ? serviceEnv(root) : process.env))
    return {content: [{text: isUserError(error) ? hidden : `${hidden} (this is unexpected; please report it)`, type: 'text'}], isError: true}
  }
}

const planText = (plan: PlanResult): string =>
  [
    `planId: ${plan.planId}`,
    `(${plan.command} --dry-run; nothing was written)`,
    ...plan.files.map((file) => `${file.action.padStart(9)}  ${file.path}`),
    '',
    plan.diff,
  ].join('\n')

/** One MCP server over the project in the current directory: its tools and resources. */
export function createRestackServer(config: Config, plans: PlanBook): McpServer {
  const server = new McpServer({name: 'restack', title: 'restack-gen', version: CLI_VERSION}, {instructions: INSTRUCTIONS})
  const readOnly = {destructiveHint: false, idempotentHint: true, openWorldHint: false, readOnlyHint: true}

  server.registerTool(
    'list',
    {
      annotations: readOnly,
      description: 'The agents, workflows and functions of the project with their files and registrations (barrels, services.ts and its task queue), the pipelines restack.yaml keeps, and the prompts with their versions: restack list --json.',
      inputSchema: {},
      outputSchema: resultSchema('list-result').shape,
      title: 'List the project',
    },
    async () => answer(() => list()),
  )

  server.registerTool(
    'generators',
    {
      annotations: readOnly,
      description: 'The generators restack has here (core and installed plugins), each with the JSON Schema of its options for plan, read from the commands themselves, and its destroy command.',
      inputSchema: {kind: z.string().min(1).optional().describe('only this kind, e.g. function')},
      outputSchema: {
        generators: z.array(
          z.object({
            description: z.string().optional(),
            destroyCommand: z.string().optional(),
            destroyOptions: z.record(z.string(), z.unknown()).optional(),
            examples: z.array(z.string()),
            generateCommand: z.string(),
            inputSchema: z.record(z.string(), z.unknown()),
            kind: z.string(),
            plugin: z.string(),
            summary: z.string().optional(),
          }),
        ),
      },
      title: 'Generators and their options',
    },
    async ({kind}) => answer(async () => ({generators: await generators(config, kind)})),
  )

  server.registerTool(
    'plan',
    {
      annotations: readOnly,
      description: 'A dry run of "restack generate <kind> <name>": validates, plans on an in-memory tree, and returns every file with its action and unified diff, and a planId. Nothing is written; pass the planId to apply.',
      inputSchema: planInput,
      outputSchema: planOutput,
      title: 'Plan a generator run',
    },
    async ({kind, name, options}) => answer(() => plans.plan('generate', kind, name, options), planText),
  )

  server.registerTool(
    'destroy',
    {
      annotations: readOnly,
      description: 'A dry run of "restack destroy <kind> <name>": which generated files would be deleted (only those unchanged since generated) and which registrations removed, with the diff and a planId. Nothing is written; pass the planId to apply.',
      inputSchema: planInput,
      outputSchema: planOutput,
      title: 'Plan a removal',
    },
    async ({kind, name, options}) => answer(() => plans.plan('destroy', kind, name, options), planText),
  )

  server.registerTool(
    'apply',
    {
      annotations: {destructiveHint: true, idempotentHint: false, openWorldHint: false, readOnlyHint: false},
      description: "Commits a plan (from plan or destroy) through restack's committer under the project's lock: all files or none. Refused, writing nothing, if any file the plan touches changed since it was made.",
      inputSchema: {planId: z.string().min(1).describe('the planId plan or destroy returned')},
      outputSchema: {
        files: z.array(z.object({action: z.enum(ACTIONS), path: z.string()})),
        kind: z.string(),
        mode: z.enum(['generate', 'destroy']),
        name: z.string(),
        planId: z.string(),
        written: z.boolean(),
      },
      title: 'Apply a plan',
    },
    async ({planId}) => answer(() => plans.apply(planId)),
  )

  server.registerTool(
    'doctor',
    {
      annotations: {...readOnly, openWorldHint: true},
      description: 'Runs restack doctor: every check (core and plugins) with its severity, message and fix; ok is false when there is an error. typecheck also runs the project\'s type-check.',
      inputSchema: {typecheck: z.boolean().optional().describe("also run the project's type-check (slower)")},
      outputSchema: resultSchema('doctor-result').shape,
      title: 'Check the project',
    },
    async ({typecheck}) => answer(() => doctor(config, typecheck ?? false)),
  )

  server.registerTool(
    'check-pipeline',
    {
      annotations: readOnly,
      description: 'Checks a pipeline operator expression ("A → B ⇄ C →? (D, E)"; ASCII ->, <->, ->?) against the grammar, with the column and a caret line on an error, and says which steps are agents, workflows or functions of the project.',
      inputSchema: {operators: z.string().describe('the operator expression')},
      outputSchema: {
        error: z.object({column: z.number(), expected: z.string(), found: z.string(), message: z.string()}).optional(),
        ok: z.boolean(),
        operators: z.string(),
        steps: z.array(z.object({column: z.number(), kind: z.string().optional(), missing: z.boolean(), module: z.string().optional(), name: z.string()})),
      },
      title: 'Check a pipeline expression',
    },
    async ({operators}) => answer(async () => checkPipeline(operators)),
  )

  server.registerTool(
    'run-workflow',
    {
      annotations: {destructiveHint: false, idempotentHint: false, openWorldHint: true, readOnlyHint: false},
      description: "Starts a workflow or pipeline of the project through the project's own client (src/client.ts and .env) and waits for its result, as restack run workflow does. The engine must answer and the service (restack run server) must be running.",
      inputSchema: {
        id: z.string().min(1).optional().describe('the workflow id (default <timestamp>-<name>)'),
        input: z.record(z.string(), z.unknown()).optional().describe('the input object (default {})'),
        name: z.string().min(1).describe('the workflow or pipeline, any case'),
        timeoutSeconds: z.number().int().min(1).max(3600).optional().describe('how long to wait for the result (default 60)'),
      },
      outputSchema: resultSchema('run-workflow-result').shape,
      title: 'Run a workflow',
    },
    async (args) => answer(() => runWorkflowTool(args)),
  )

  const root = findProjectRoot(process.cwd())
  const text = (uri: URL, path: string, mimeType: string) => ({contents: [{mimeType, text: readFileSync(path, 'utf8'), uri: uri.href}]})
  if (root) {
    server.registerResource(
      'restack.yaml',
      'restack://project/restack.yaml',
      {description: "The project's restack.yaml: its name, defaults (task queue, pipeline loop max) and pipelines.", mimeType: 'application/yaml', title: 'restack.yaml'},
      async (uri) => text(uri, join(root, 'restack.yaml'), 'application/yaml'),
    )
    if (existsSync(join(root, COMPAT_DOC))) {
      server.registerResource(
        'restack-compat',
        `restack://project/${COMPAT_DOC}`,
        {description: 'How the project maps Restack\'s API and wire conventions onto Temporal.', mimeType: 'text/markdown', title: 'Restack conventions'},
        async (uri) => text(uri, join(root, COMPAT_DOC), 'text/markdown'),
      )
    }
  }

  server.registerResource(
    'generated-code-contract',
    'restack://docs/contract.md',
    {description: 'The rules generated code follows and code an agent writes must follow: layout, registration, determinism, tests.', mimeType: 'text/markdown', title: 'The generated-code contract'},
    async (uri) => text(uri, CONTRACT_DOC, 'text/markdown'),
  )
  return server
}
