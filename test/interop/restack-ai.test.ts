import {expect} from 'chai'
import {ChildProcess, spawn, spawnSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {createServer, Server} from 'node:http'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {BIN, run, runCli} from '../helpers/cli.js'
import {tempDir} from '../helpers/fs.js'
import {installProject} from '../helpers/install.js'
import {freePort, waitForPort} from '../helpers/ports.js'
import {devServerArgs, temporalCliPath} from '../helpers/temporal.js'
import {startCodecServer} from './codec-server.js'
import {CALL_PYTHON_WORKFLOW, INTEROP_SCRIPT} from './project-files.js'
import {findPython, RESTACK_AI_REQUIREMENT, restackAiPython} from './venv.js'

const PYTHON_DIR = fileURLToPath(new URL('python/', import.meta.url))

/** A long-running process of the test, with its output so far. */
interface Running {
  child: ChildProcess
  output(): string
}

function startProcess(command: string, args: string[], options: {cwd: string; env: NodeJS.ProcessEnv}): Running {
  const child = spawn(command, args, {cwd: options.cwd, env: {...process.env, ...options.env}, stdio: ['ignore', 'pipe', 'pipe']})
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  return {child, output: () => output}
}

async function waitForOutput(what: string, running: Running, pattern: RegExp, ms: number): Promise<void> {
  const deadline = Date.now() + ms
  while (!pattern.test(running.output())) {
    if (running.child.exitCode !== null || Date.now() > deadline) throw new Error(`${what} did not start:\n${running.output().slice(-3000)}`)
    await new Promise((resolve) => {
      setTimeout(resolve, 100)
    })
  }
}

async function stop(running: Running | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!running || running.child.exitCode !== null || running.child.signalCode !== null) return
  const exited = new Promise((resolve) => {
    running.child.once('exit', resolve)
  })
  running.child.kill(signal)
  const timer = setTimeout(() => running.child.kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(timer)
}

const lastJson = <T>(output: string): T => JSON.parse(output.trim().split('\n').pop()!) as T

describe(`interop with Restack's Python SDK (${RESTACK_AI_REQUIREMENT}) on one Temporal dev server`, function () {
  this.timeout(900_000)
  const temporal = temporalCliPath()
  let dir: ReturnType<typeof tempDir> | undefined
  let server: ChildProcess | undefined
  let python = ''
  let address = ''
  const root = (): string => join(dir!.path, 'demo')
  const env = (): NodeJS.ProcessEnv => ({RESTACK_ENGINE_ADDRESS: address})

  /** restack-ai's client (test/interop/python/client.py) running one scenario. */
  const pythonClient = async <T>(scenario: string, args: object = {}, extraEnv: NodeJS.ProcessEnv = {}): Promise<T> =>
    lastJson<T>(await run(python, ['client.py', scenario, JSON.stringify(args)], {cwd: PYTHON_DIR, env: {...env(), ...extraEnv, PYTHONUNBUFFERED: '1'}}))
  /** The generated client, through scripts/interop.ts in the project. */
  const generatedClient = async <T>(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<T> =>
    lastJson<T>(await run('npx', ['tsx', 'scripts/interop.ts', ...args], {cwd: root(), env: {...env(), ...extraEnv}}))
  const startServices = async (extraEnv: NodeJS.ProcessEnv): Promise<Running[]> => {
    const generated = startProcess(process.execPath, [BIN, 'run:server'], {cwd: root(), env: {...env(), ...extraEnv}})
    const restackAi = startProcess(python, ['service.py'], {cwd: PYTHON_DIR, env: {...env(), ...extraEnv, PYTHONUNBUFFERED: '1'}})
    try {
      await waitForOutput('the generated service (restack run:server)', generated, /Services running successfully/, 90_000)
      await waitForOutput("restack-ai's service", restackAi, /Service on task queue python ready/, 90_000)
    } catch (error) {
      await Promise.all([stop(generated, 'SIGINT'), stop(restackAi, 'SIGKILL')])
      throw error
    }

    return [generated, restackAi]
  }

  const stopServices = async (services: Running[]): Promise<void> => {
    const [generated, restackAi] = services
    // restack-ai's service traps SIGINT/SIGTERM (to send a webhook) and keeps running: kill it.
    await Promise.all([stop(generated, 'SIGINT'), stop(restackAi, 'SIGKILL')])
  }

  before(async function () {
    if (!temporal) this.skip()
    const interpreter = findPython()
    if (!interpreter) {
      process.stderr.write('\n!!! No Python >= 3.10 (PATH or pyenv): the restack-ai interop suite is SKIPPED.\n\n')
      this.skip()
    }

    python = restackAiPython(interpreter!)
    dir = tempDir('restack-interop-')
    for (const [index, args] of [
      ['new', 'demo', '--skip-install', '--skip-git'],
      ['g', 'function', 'Shout', '--task-queue', 'q'],
      ['g', 'workflow', 'CallPython'],
      ['g', 'workflow', 'Onboarding'],
    ].entries()) {
      const result = runCli(args, {cwd: index === 0 ? dir.path : root()})
      expect(result.status, `${args.join(' ')}: ${result.stderr}`).to.equal(0)
    }

    writeFileSync(join(root(), 'src/workflows/callPython.ts'), CALL_PYTHON_WORKFLOW)
    writeFileSync(join(root(), 'scripts/interop.ts'), INTEROP_SCRIPT)
    await installProject(root())
    const [port, uiPort] = [await freePort(), await freePort()]
    address = `127.0.0.1:${port}`
    // The generated greeter continues as new when the server suggests it: suggest it early.
    server = spawn(temporal!, devServerArgs(port, uiPort, ['--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=40']), {stdio: 'ignore'})
    await waitForPort(port, 30_000)
  })

  after(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => {
        server!.once('exit', resolve)
      })
      server.kill('SIGTERM')
      await exited
    }

    dir?.cleanup()
  })

  describe('with default settings on both sides (only the server address given)', () => {
    let services: Running[] = []
    before(async () => {
      services = await startServices({})
    })

    it('the generated service skips the Restack engine features on plain Temporal with one info line', () => {
      const notes = services[0].output().match(/RESTACK_ENGINE_API_ADDRESS is not set: skipping endpoint registration and the playground worker/g)
      expect(notes, services[0].output()).to.have.length(1)
    })
    after(async () => {
      await stopServices(services)
    })

    it("a. restack-ai's client drives the generated agentGreeter: events (completed and accepted), update-with-start, state, continue-as-new, result", async () => {
      const report = await pythonClient<Record<string, any>>('greeter')
      expect(report.workflowId).to.equal(`local-${report.agentId}`)
      expect(report.completed).to.equal('Hello, Ada!')
      expect(report.acceptedUpdateId).to.be.a('string').and.not.equal('')
      expect(report.acceptedResult).to.equal('Hello, Grace!')
      expect(report.updateWithStartRunId, 'update-with-start on the existing id reuses the run').to.equal(report.runId)
      expect(report.state).to.deep.equal(['Hello, Ada!', 'Hello, Grace!', 'Hello, Bo!'])
      expect(report.firstRunStatus).to.equal('CONTINUED_AS_NEW')
      expect(report.latestRunId).not.to.equal(report.runId)
      const greetings = ['Hello, Ada!', 'Hello, Grace!', 'Hello, Bo!', ...Array.from({length: report.sentUntilContinued}, (_, i) => `Hello, guest ${i}!`)]
      expect(report.stateAfterContinue).to.equal(greetings.length)
      expect(report.result).to.deep.equal({greetings})
    })

    it("b. the generated scripts and client drive restack-ai's agent: schedule, events, state, end, result", async () => {
      const {agentId} = await generatedClient<{agentId: string; runId: string}>(['schedule-py-agent'])
      const event = (name: string, json?: string) => run('npm', ['run', '--silent', 'event:greeter', '--', agentId, name, ...(json ? [json] : [])], {cwd: root(), env: env()})
      // @restackio/ai's sendAgentEvent answers with the update's ids once the agent accepted the event; the state shows what it did
      const receipt = lastJson<{workflowId: string}>(await event('message', '{"text":"hello"}'))
      expect(receipt).to.have.keys(['updateId', 'workflowId', 'workflowRunId'])
      expect(receipt.workflowId).to.equal(`local-${agentId}`)
      expect(lastJson(await event('message', '{"text":"again"}'))).to.have.keys(['updateId', 'workflowId', 'workflowRunId'])
      expect(await generatedClient(['py-agent-state', agentId])).to.deep.equal(['hello', 'again'])
      const ended = (await event('end')).trim().split('\n')
      expect(JSON.parse(ended.at(-2)!)).to.have.keys(['updateId', 'workflowId', 'workflowRunId'])
      expect(JSON.parse(ended.at(-1)!)).to.deep.equal({messages: ['hello', 'again']})
    })

    let fromGenerated: Promise<Record<string, any>> | undefined
    let fromPython: Promise<Record<string, any>> | undefined
    const generatedRun = () => (fromGenerated ??= generatedClient<Record<string, any>>(['call-python', 'hi there']))
    const pythonRun = () => (fromPython ??= pythonClient<Record<string, any>>('py-workflow', {name: 'Ada', text: 'quiet'}))

    it('c. steps cross languages on queues: a generated workflow steps into a Python function, a Python workflow into generated functions (its own queue from --task-queue q, and the default queue)', async () => {
      expect((await generatedRun()).shouted).to.deep.equal({by: 'python', shouted: 'HI THERE!'})
      const {result} = await pythonRun()
      expect(result.shouted).to.deep.equal({result: 'quiet'})
      expect(result.greeted).to.deep.equal({message: 'Hello, Ada!'})
    })

    it('d. child workflows both ways', async () => {
      const generated = await generatedRun()
      expect(generated.child).to.deep.equal({by: 'python', echo: 'hi there', length: 8})
      const {result, workflowId} = await pythonRun()
      expect(result.child).to.deep.equal({message: 'onboardingWorkflow finished for Ada'})
      // both children carry the engine id prefix once, as restack-ai names them
      const describe = (id: string) =>
        JSON.parse(spawnSync(temporal!, ['workflow', 'describe', '--address', address, '--workflow-id', id, '-o', 'json'], {encoding: 'utf8'}).stdout || '{}')
      expect(describe(`${generated.workflowId}-child`).workflowExecutionInfo?.type?.name).to.equal('PyChild')
      expect(describe(`${workflowId}-child`).workflowExecutionInfo?.type?.name).to.equal('onboardingWorkflow')
    })

    it('every run either side started carries the engineId search attribute "local"', async () => {
      await Promise.all([generatedRun(), pythonRun()])
      const listed = spawnSync(temporal!, ['workflow', 'list', '--address', address, '--query', 'engineId = "local"', '-o', 'json'], {encoding: 'utf8'})
      expect(listed.status, listed.stderr).to.equal(0)
      const types = new Set((JSON.parse(listed.stdout) as Array<{type: {name: string}}>).map((execution) => execution.type.name))
      for (const type of ['agentGreeter', 'PyAgent', 'callPythonWorkflow', 'PyChild', 'PyWorkflow', 'onboardingWorkflow']) expect([...types]).to.include(type)
    })

    it('without a codec server (none at the default http://localhost:12233), a 200 KB payload travels inline both ways', async function () {
      const probe = spawnSync(process.execPath, ['-e', 'require("net").connect(12233, "localhost").on("connect", () => process.exit(0)).on("error", () => process.exit(1))'])
      if (probe.status === 0) this.skip() // something answers on the codec port of this machine
      const size = 200 * 1024
      expect(await generatedClient(['large-to-python', String(size)])).to.deep.equal({by: 'python', echoed: true, length: size})
      const toGenerated = await pythonClient<{endsWithName: boolean; length: number}>('large-to-generated', {size})
      expect(toGenerated).to.deep.equal({endsWithName: true, length: 'onboardingWorkflow finished for '.length + size})
    })

    it('npm run event:greeter against a queue nobody polls exits non-zero within 30 s, naming the queue', async () => {
      const lonely = {...env(), RESTACK_ENGINE_ID: `nobody-${process.pid}`}
      const {agentId} = lastJson<{agentId: string}>(await run('npm', ['run', '--silent', 'schedule:greeter'], {cwd: root(), env: lonely}))
      const started = Date.now()
      const result = spawnSync('npm', ['run', '--silent', 'event:greeter', '--', agentId, 'greet', '{"name":"Ada"}'], {
        cwd: root(),
        encoding: 'utf8',
        env: {...process.env, ...lonely},
        timeout: 60_000,
      })
      expect(Date.now() - started).to.be.lessThan(30_000)
      expect(result.status).to.equal(1)
      expect(result.stderr).to.include('no answer to event "greet" within 10 s: is the service that runs this agent on task queue "restack" running')
      expect(result.stderr.trim().split('\n').filter((line) => line.includes('event:greeter failed'))).to.have.length(1)
    })
  })

  describe("e. large payloads through a codec server speaking restack-ai's protocol, and the engine's API", () => {
    let services: Running[] = []
    let codec: Awaited<ReturnType<typeof startCodecServer>> | undefined
    let engineApi: Server | undefined
    const registrations: Array<{body: any; path: string}> = []
    let apiAddress = ''
    const codecEnv = (): NodeJS.ProcessEnv => ({INTEROP_CODEC_ADDRESS: codec!.address, RESTACK_ENGINE_CODEC_ADDRESS: codec!.address})
    before(async () => {
      codec = await startCodecServer()
      // a stand-in for the Restack engine's HTTP API: it records endpoint registrations
      engineApi = createServer(async (request, response) => {
        let body = ''
        for await (const chunk of request) body += chunk
        registrations.push({body: JSON.parse(body || 'null'), path: `${request.method} ${request.url}`})
        response.writeHead(200, {'Content-Type': 'application/json'}).end('{"ok":true}')
      })
      await new Promise<void>((resolve) => {
        engineApi!.listen(0, '127.0.0.1', resolve)
      })
      apiAddress = `127.0.0.1:${(engineApi.address() as {port: number}).port}`
      services = await startServices({...codecEnv(), RESTACK_ENGINE_API_ADDRESS: apiAddress})
    })
    after(async () => {
      await stopServices(services)
      await codec?.close()
      engineApi?.closeAllConnections()
      await new Promise((resolve) => {
        engineApi ? engineApi.close(resolve) : resolve(undefined)
      })
    })

    it('a 200 KB input goes both ways: restack-ai to a generated workflow, the generated client to a Python workflow', async () => {
      const size = 200 * 1024
      const toGenerated = await pythonClient<{endsWithName: boolean; length: number}>('large-to-generated', {size}, codecEnv())
      expect(toGenerated).to.deep.equal({endsWithName: true, length: 'onboardingWorkflow finished for '.length + size})
      const toPython = await generatedClient<{by: string; echoed: boolean; length: number}>(['large-to-python', String(size)], codecEnv())
      expect(toPython).to.deep.equal({by: 'python', echoed: true, length: size})
      const by = (python: boolean, method: string) =>
        codec!.requests.filter((request) => request.userAgent.includes('aiohttp') === python && request.method === method)
      // each side offloaded what it sent (input or result) and fetched what it received
      for (const side of [true, false]) {
        expect(by(side, 'PUT').length, `${side ? 'restack-ai' : 'generated'} PUTs`).to.be.at.least(2)
        expect(by(side, 'GET').length, `${side ? 'restack-ai' : 'generated'} GETs`).to.be.at.least(2)
        expect(by(side, 'PUT').every((request) => request.bytes >= 128 * 1024)).to.equal(true)
      }
    })

    it("with the engine API address set, the generated service registers its endpoints and runs Restack's playground worker", async () => {
      // one service has agents and workflows; the functions-only service on queue q registers nothing
      expect(registrations.map((each) => each.path)).to.deep.equal(['POST /api/engine/endpoints'])
      const [registration] = registrations
      expect(registration.body.identity).to.match(/^local-\d+$/)
      expect(registration.body.agents.map((agent: {name: string}) => agent.name)).to.deep.equal(['agentGreeter'])
      expect(registration.body.workflows.map((workflow: {name: string}) => workflow.name).sort()).to.deep.equal(['callPythonWorkflow', 'onboardingWorkflow'])
      expect(registration.body.workflows[0].task_queue).to.equal('restack')
      // the playground runs any registered function by name, as the engine's developer UI does
      const played = spawnSync(
        temporal!,
        ['workflow', 'execute', '--address', address, '--type', 'playgroundRun', '--task-queue', 'local-playground', '--workflow-id', `playground-${process.pid}`,
          '--input', JSON.stringify({functionName: 'greet', input: {name: 'Ada'}, taskQueue: 'restack'})],
        {encoding: 'utf8', timeout: 60_000},
      )
      expect(played.status, played.stderr + played.stdout).to.equal(0)
      expect(played.stdout).to.include('Hello, Ada!')
    })
  })
})
