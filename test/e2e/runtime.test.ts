import {parse} from '@babel/parser'
import {expect} from 'chai'
import {ChildProcess, spawn} from 'node:child_process'
import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join, relative, sep} from 'node:path'

import {rewriteImports} from '../../src/runtime/imports.js'
import {SHIM_TSCONFIG, shimEnv} from '../../src/runtime/alias.js'
import {run, runCli} from '../helpers/cli.js'
import {snapshot, tempDir} from '../helpers/fs.js'
import {assertMatchesSchema} from '../helpers/schema.js'
import {installProject} from '../helpers/install.js'
import {freePort, waitForPort} from '../helpers/ports.js'
import {devServerArgs, temporalCliPath} from '../helpers/temporal.js'

/** The generators every mode must serve: each core kind, a function on its own queue, a scaffolding pipeline, a prompt. */
const GROW: string[][] = [
  ['g', 'agent', 'Support', '--events', 'message,feedback'],
  ['g', 'workflow', 'Onboarding'],
  ['g', 'function', 'SendEmail'],
  ['g', 'function', 'ChargeCard', '--task-queue', 'payments'],
  ['g', 'pipeline', 'Blog', '--operators', 'Ideate <-> Review -> Onboarding -> Support -> ChargeCard', '--scaffold-missing'],
  ['g', 'prompt', 'Summarize'],
]

function grow(dir: string, newArgs: string[]): string {
  const steps = [['new', 'demo', '--skip-install', '--skip-git', ...newArgs], ...GROW]
  for (const [index, args] of steps.entries()) {
    const result = runCli(args, {cwd: index === 0 ? dir : join(dir, 'demo')})
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`)
  }

  return join(dir, 'demo')
}

/** The project's TypeScript files outside node_modules, relative to the root. */
function tsFiles(root: string): string[] {
  const found: string[] = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(join(dir, entry.name))
      else if (entry.isFile() && entry.name.endsWith('.ts')) found.push(relative(root, join(dir, entry.name)).split(sep).join('/'))
    }
  }

  walk(root)
  return found.sort()
}

/** The text with the inside of every module specifier blanked: what must not change when only specifiers do. */
function withoutSpecifiers(source: string): string {
  const ast = parse(source, {plugins: ['typescript'], sourceType: 'module'})
  const spans: Array<[number, number]> = []
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return
    const n = node as {arguments?: unknown[]; callee?: {type: string}; source?: {end: number; start: number}; type?: string}
    if ((n.type === 'ImportDeclaration' || n.type === 'ExportNamedDeclaration' || n.type === 'ExportAllDeclaration') && n.source) spans.push([n.source.start + 1, n.source.end - 1])
    if (n.type === 'CallExpression' && n.callee?.type === 'Import') {
      const [first] = n.arguments as Array<{end: number; start: number}>
      spans.push([first.start + 1, first.end - 1])
    }

    for (const [key, value] of Object.entries(node)) if (key !== 'loc') (Array.isArray(value) ? value : [value]).forEach(visit)
  }

  visit(ast.program)
  let text = source
  for (const [start, end] of spans.sort((a, b) => b[0] - a[0])) text = `${text.slice(0, start)}<specifier>${text.slice(end)}`
  return text
}

/** Imports that reach the bundled runtime by a relative path, in a file outside it. */
const runtimeImports = (root: string, file: string): string[] =>
  [...readFileSync(join(root, file), 'utf8').matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((match) => match[1]).filter((specifier) => /^\.{1,2}\/.*restack(\/|$)/.test(specifier) && !specifier.includes('restack-'))

describe('runtime modes (restack new --runtime, restack runtime)', function () {
  this.timeout(600_000)
  let bundledDir: ReturnType<typeof tempDir>
  let restackioDir: ReturnType<typeof tempDir>
  let bundled: string
  let restackio: string

  before(() => {
    bundledDir = tempDir('restack-runtime-')
    restackioDir = tempDir('restack-runtime-')
    bundled = grow(bundledDir.path, [])
    restackio = grow(restackioDir.path, ['--runtime', 'restackio'])
  })
  after(() => {
    bundledDir?.cleanup()
    restackioDir?.cleanup()
  })

  it('generates the same files in both modes, but for the import specifiers of Restack\'s API', () => {
    const files = tsFiles(bundled)
    expect(tsFiles(restackio)).to.deep.equal(files)
    let rewritten = 0
    for (const file of files) {
      const source = readFileSync(join(bundled, file), 'utf8')
      const expected = file.startsWith('src/restack/') ? source : rewriteImports(source, file, 'restackio').text
      if (expected !== source) rewritten++
      expect(readFileSync(join(restackio, file), 'utf8'), file).to.equal(expected)
    }

    expect(rewritten).to.be.greaterThan(10)
  })

  it('leaves no import of the bundled runtime outside src/restack/ in a restackio project, from any generator', () => {
    const offenders = tsFiles(restackio)
      .filter((file) => !file.startsWith('src/restack/'))
      .flatMap((file) => runtimeImports(restackio, file).map((specifier) => `${file}: ${specifier}`))
    expect(offenders).to.deep.equal([])
    expect(readFileSync(join(restackio, 'restack.yaml'), 'utf8')).to.match(/^runtime: restackio$/m)
    expect(JSON.parse(readFileSync(join(restackio, 'package.json'), 'utf8')).dependencies['@restackio/ai']).to.be.a('string')
  })

  it('switches there and back to every file\'s exact bytes, and there changes nothing but import specifiers', () => {
    const before = snapshot(bundled)
    const sources = Object.fromEntries(tsFiles(bundled).map((file) => [file, readFileSync(join(bundled, file), 'utf8')]))
    const dry = runCli(['runtime', 'restackio', '--dry-run', '--json'], {cwd: bundled})
    expect(dry.status, dry.stderr).to.equal(0)
    expect(snapshot(bundled)).to.deep.equal(before)

    const there = runCli(['runtime', 'restackio', '--json'], {cwd: bundled})
    expect(there.status, there.stderr).to.equal(0)
    const result = JSON.parse(there.stdout)
    assertMatchesSchema('runtime-result', result)
    assertMatchesSchema('runtime-result', JSON.parse(dry.stdout))
    expect(result.imports.find((each: {file: string}) => each.file === 'src/client.ts').changes).to.deep.equal([{from: './restack', line: 2, to: '@restackio/ai'}])
    expect(result.files.map((file: {action: string; path: string}) => [file.path, file.action])).to.deep.equal(
      JSON.parse(dry.stdout).files.map((file: {action: string; path: string}) => [file.path, file.action]),
    )
    expect(result.unmapped).to.deep.equal([])
    const changed = result.files.map((file: {path: string}) => file.path).sort()
    expect(changed.filter((path: string) => !path.endsWith('.ts'))).to.deep.equal(['package.json', 'restack.yaml', SHIM_TSCONFIG])
    for (const file of changed.filter((path: string) => path.endsWith('.ts'))) {
      const after = readFileSync(join(bundled, file), 'utf8')
      expect(after, file).not.to.equal(sources[file])
      expect(withoutSpecifiers(after), `${file}: a byte outside an import specifier changed`).to.equal(withoutSpecifiers(sources[file]))
    }

    // the same project as one made on restackio from the start (the ledger records who made each file)
    const made = snapshot(restackio)
    for (const [path, hash] of Object.entries(snapshot(bundled))) if (path !== '.restack/ledger.json') expect(hash, path).to.equal(made[path])

    const back = runCli(['runtime', 'bundled'], {cwd: bundled})
    expect(back.status, back.stderr).to.equal(0)
    expect(snapshot(bundled)).to.deep.equal(before)
  })

  it('refuses an unknown runtime with a usage error and changes nothing', () => {
    const before = snapshot(restackio)
    const result = runCli(['runtime', 'temporal'], {cwd: restackio})
    expect(result.status).to.equal(2)
    expect(result.stderr).to.match(/bundled, restackio/)
    expect(snapshot(restackio)).to.deep.equal(before)
  })

  describe('a restackio project installed for real, run through the alias onto the bundled runtime', () => {
    const temporal = temporalCliPath()
    let env: Record<string, string>

    before(async () => {
      // @restackio/ai is not on the registry here: the install leaves it out, and the alias stands in.
      await installProject(restackio, {without: ['@restackio/ai']})
      env = shimEnv(restackio)
    })

    it('does not type-check without opting in: @restackio/ai resolves from node_modules, where it is not', async () => {
      const error = await run('npx', ['tsc', '-p', 'tsconfig.typecheck.json'], {cwd: restackio}).then(
        () => undefined,
        (error_: Error) => error_,
      )
      expect(error?.message).to.match(/Cannot find module '@restackio\/ai\/agent'/)
    })

    it('type-checks through the tsconfig paths of the alias', async () => {
      await run('npx', ['tsc', '-p', SHIM_TSCONFIG], {cwd: restackio})
    })

    it('bundles every agent and workflow through the bundler alias', async () => {
      expect(await run('npm', ['run', 'bundle'], {cwd: restackio, env})).to.match(/Bundled agents and workflows/)
    })

    it('passes its own tests on a local Temporal dev server through the tsx alias', async function () {
      if (!temporal) this.skip()
      const output = await run('npm', ['test'], {cwd: restackio, env: {...env, TEMPORAL_CLI_PATH: temporal}})
      for (const name of ['agentSupport', 'onboardingWorkflow', 'sendEmail', 'chargeCard', 'agentGreeter', 'blogPipeline']) expect(output).to.include(name)
      expect(output).to.match(/\d+ passing/)
      expect(output).not.to.match(/failing|pending/)
    })

    it("has @restackio/ai's other entry points and names, and an engine-only feature fails naming the feature and the engine", async () => {
      const probe = [
        'import { MockActivityEnvironment } from "@temporalio/testing";',
        'import { currentWorkflow, streamToWebsocket } from "@restackio/ai/function";',
        'import { defineEvent, onEvent } from "@restackio/ai/event";',
        'import { defineMemory, handleMemory } from "@restackio/ai/memory";',
        'import { rpmToSecond } from "@restackio/ai/utils";',
        'import { getFlow } from "@restackio/ai/flow";',
        'async function main() {',
        '  const env = new MockActivityEnvironment({ workflowExecution: { workflowId: "wf-1", runId: "run-1" } });',
        '  const execution = await env.run(async () => currentWorkflow().workflowExecution);',
        '  const streamed = await env.run(() => streamToWebsocket({ data: [] })).then(() => "no error", (error: Error) => `${error.name}: ${error.message}`);',
        '  let flow = "no error";',
        '  try { getFlow({ flowMap: {}, name: "x" }); } catch (error) { flow = (error as Error).message; }',
        '  console.log(JSON.stringify({ execution, streamed, flow, rpm: rpmToSecond(120), event: defineEvent("e").name, memory: defineMemory("m").name, kinds: [typeof onEvent, typeof handleMemory] }));',
        '}',
        'main().catch((error) => { console.error(error); process.exit(1); });',
        '',
      ].join("\n");
      writeFileSync(join(restackio, "scripts/probe-runtime.ts"), probe);
      const result = JSON.parse((await run("npx", ["tsx", "scripts/probe-runtime.ts"], { cwd: restackio, env })).trim().split("\n").pop()!);
      expect(result.execution).to.deep.equal({ workflowId: "wf-1", runId: "run-1" });
      expect(result.streamed).to.match(/^EngineOnlyFeatureError: streamToWebsocket \(@restackio\/ai\/function\) is a feature of the Restack engine \(its websocket stream endpoint, \/stream\/ws\/agent on port 9233\)/);
      expect(result.flow).to.match(/^getFlow \(@restackio\/ai\/flow\) is a feature of the Restack engine/);
      expect(result).to.deep.include({ event: "e", kinds: ["function", "function"], memory: "m", rpm: 2 });
    });

    it('runs its service (startService bundles through its own alias) and the schedule and event scripts', async function () {
      if (!temporal) this.skip()
      const [port, uiPort] = [await freePort(), await freePort()]
      const server = spawn(temporal, devServerArgs(port, uiPort), {cwd: restackioDir.path, stdio: 'ignore'})
      let service: ChildProcess | undefined
      try {
        const engine = {...env, RESTACK_ENGINE_ADDRESS: `127.0.0.1:${port}`}
        await waitForPort(port, 30_000)
        let output = ''
        service = spawn(process.execPath, ['--import', 'tsx', 'src/services.ts'], {cwd: restackio, env: {...process.env, ...engine}, stdio: ['ignore', 'pipe', 'pipe']})
        service.stdout!.on('data', (chunk) => (output += chunk))
        service.stderr!.on('data', (chunk) => (output += chunk))
        const deadline = Date.now() + 90_000
        while (!/Services running successfully/.test(output) && service.exitCode === null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200))
        expect(output).to.match(/Services running successfully/)
        const scheduled = JSON.parse((await run('npx', ['tsx', 'scripts/schedule-greeter.ts'], {cwd: restackio, env: engine})).trim().split('\n').pop()!)
        // @restackio/ai's sendAgentEvent answers with the update's ids once the agent accepted the event; "end" then prints the agent's result
        const greeted = JSON.parse((await run('npx', ['tsx', 'scripts/event-greeter.ts', scheduled.agentId, 'greet', '{"name":"Ada"}'], {cwd: restackio, env: engine})).trim().split('\n').pop()!)
        expect(greeted).to.have.keys(['updateId', 'workflowId', 'workflowRunId'])
        expect(greeted.workflowId).to.equal(`local-${scheduled.agentId}`)
        expect(greeted.workflowRunId).to.equal(scheduled.runId)
        expect(await run('npx', ['tsx', 'scripts/event-greeter.ts', scheduled.agentId, 'end'], {cwd: restackio, env: engine})).to.match(/"greetings":\["Hello, Ada!"\]/)
      } finally {
        service?.kill('SIGINT')
        server.kill('SIGTERM')
        await new Promise((resolve) => {
          if (server.exitCode !== null) resolve(undefined)
          else server.once('exit', resolve)
        })
        if (service && service.exitCode === null) service.kill('SIGKILL')
      }
    })
  })
})
