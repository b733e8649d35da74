import {Client} from '@modelcontextprotocol/sdk/client/index.js'
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js'
import {expect} from 'chai'
import {ChildProcess, spawn} from 'node:child_process'
import {join} from 'node:path'

import {BIN, errorText, isOneParagraph, run, runCli} from '../helpers/cli.js'
import {tempDir} from '../helpers/fs.js'
import {installProject} from '../helpers/install.js'
import {freePort, waitForPort} from '../helpers/ports.js'
import {assertMatchesSchema} from '../helpers/schema.js'
import {devServerArgs, temporalCliPath} from '../helpers/temporal.js'

const exited = (child: ChildProcess): Promise<unknown> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve))

describe('driving units from the CLI on the dev server: run:workflow, run:<pipeline>, run:agent, agent:event, agent:state, agent:result', function () {
  this.timeout(600_000)
  const temporal = temporalCliPath()
  let dir: ReturnType<typeof tempDir>
  let root: string
  let server: ChildProcess | undefined
  let service: ChildProcess | undefined
  let env: NodeJS.ProcessEnv

  before(async function () {
    if (!temporal) this.skip()
    dir = tempDir('restack-run-')
    const steps = [
      ['new', 'demo', '--skip-install', '--skip-git'],
      ['g', 'pipeline', 'Hello', '--operators', 'greet'],
      // a second agent, whose state has another name ("history") than the greeter's ("greetings")
      ['g', 'agent', 'Support'],
      // steps that never return continue or ok, after an input that carries both (stale flags)
      ['g', 'pipeline', 'Stale', '--operators', 'Tidy ⇄ greet → greet →? (Yes, No)', '--scaffold-missing'],
    ]
    for (const [index, args] of steps.entries()) {
      const result = runCli(args, {cwd: index === 0 ? dir.path : join(dir.path, 'demo')})
      expect(result.status, `${args.join(' ')}: ${result.stderr}`).to.equal(0)
    }

    root = join(dir.path, 'demo')
    await installProject(root)
    const [port, uiPort] = [await freePort(), await freePort()]
    server = spawn(temporal!, devServerArgs(port, uiPort), {cwd: dir.path, stdio: 'ignore'})
    env = {RESTACK_ENGINE_ADDRESS: `127.0.0.1:${port}`}
    await waitForPort(port, 30_000)
  })

  after(async () => {
    if (service && service.exitCode === null) {
      service.kill('SIGINT')
      await exited(service)
    }

    if (server) {
      server.kill('SIGTERM')
      await exited(server)
    }

    dir?.cleanup()
  })

  it('says clearly when no worker runs the workflow, naming its task queue', () => {
    const result = runCli(['run:workflow', 'HelloPipeline', '--timeout', '3'], {cwd: root, env})
    expect(result.status).to.equal(1)
    expect(isOneParagraph(result.stderr), result.stderr).to.equal(true)
    expect(errorText(result.stderr)).to.match(/helloPipeline \(workflow id "\d+-helloPipeline"\) did not finish within 3 s\. No answer to the result from "local-\d+-helloPipeline" within 3 s: its task queue "local-restack" has no worker polling it\. Start the service that runs it \("npm run dev" or "restack run:server"\)/)
  })

  it('schedules an agent without a worker, and an event to it waits a bounded time and names the queue nobody polls', () => {
    const scheduled = runCli(['run:agent', 'greeter', '--id', 'early', '--json'], {cwd: root, env})
    expect(scheduled.status, scheduled.stderr).to.equal(0)
    const json = JSON.parse(scheduled.stdout)
    assertMatchesSchema('run-agent-result', json)
    expect(json).to.include({agent: 'agentGreeter', agentId: 'early'})
    expect(json.runId).to.match(/^[\da-f-]{36}$/)

    const event = runCli(['agent:event', 'early', 'greet', '--input', '{"name":"Ada"}', '--timeout', '2'], {cwd: root, env})
    expect(event.status).to.equal(1)
    expect(isOneParagraph(event.stderr), event.stderr).to.equal(true)
    expect(errorText(event.stderr)).to.match(/The event "greet" to the agent "early" was not taken: No answer to event "greet" from "local-early" within 2 s: its task queue "local-restack" has no worker polling it\..* Start the service that runs it \("restack run:server"\), or raise --timeout\./)
  })

  it('starts a generated pipeline with JSON input and prints its result, and run:<pipeline> does the same', async () => {
    let output = ''
    service = spawn(process.execPath, [BIN, 'run:server'], {cwd: root, env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'pipe']})
    service.stdout!.on('data', (chunk) => (output += chunk))
    service.stderr!.on('data', (chunk) => (output += chunk))
    const deadline = Date.now() + 60_000
    while (!/Services running successfully/.test(output)) {
      expect(service.exitCode, output).to.equal(null)
      expect(Date.now() < deadline, output).to.equal(true)
      await new Promise((resolve) => setTimeout(resolve, 200))
    }

    const result = runCli(['run:workflow', 'hello pipeline', '--input', '{"name":"Ada"}', '--json'], {cwd: root, env})
    expect(result.status, result.stderr).to.equal(0)
    const json = JSON.parse(result.stdout)
    assertMatchesSchema('run-workflow-result', json)
    expect(json).to.deep.include({result: {message: 'Hello, Ada!', name: 'Ada'}, workflow: 'helloPipeline'})
    const human = runCli(['run:workflow', 'HelloPipeline', '--input', '{"name":"Bo"}'], {cwd: root, env})
    expect(JSON.parse(human.stdout)).to.deep.equal({message: 'Hello, Bo!', name: 'Bo'})

    const script = await run('npm', ['run', '--silent', 'run:hello-pipeline', '--', '{"name":"Cy"}'], {cwd: root, env})
    expect(script).to.include('{"name":"Cy","message":"Hello, Cy!"}')
  })

  it("runs a pipeline through restack mcp's run-workflow tool, with the project's own client", async () => {
    const client = new Client({name: 'run-workflow-test', version: '1.0.0'})
    const childEnv = Object.fromEntries(Object.entries({...process.env, ...env}).filter((entry): entry is [string, string] => entry[1] !== undefined))
    await client.connect(new StdioClientTransport({args: [BIN, 'mcp'], command: process.execPath, cwd: root, env: childEnv, stderr: 'ignore'}))
    try {
      const result = await client.callTool({arguments: {input: {name: 'Di'}, name: 'hello pipeline', timeoutSeconds: 60}, name: 'run-workflow'})
      expect(result.isError, JSON.stringify(result.content)).to.not.equal(true)
      expect(result.structuredContent).to.deep.include({result: {message: 'Hello, Di!', name: 'Di'}, workflow: 'helloPipeline'})
      const unknown = await client.callTool({arguments: {name: 'Nope'}, name: 'run-workflow'})
      expect(unknown.isError).to.equal(true)
      expect((unknown.content as Array<{text: string}>)[0].text).to.match(/"Nope" is not a workflow or pipeline of this project/)
    } finally {
      await client.close()
    }
  })

  it('drives an agent: events print their handler\'s result, state and result read back, all with --json', () => {
    const cli = (...args: string[]) => runCli(args, {cwd: root, env})
    const json = (schema: string, ...args: string[]) => {
      const result = cli(...args, '--json')
      expect(result.status, `${args.join(' ')}: ${result.stderr}`).to.equal(0)
      const value = JSON.parse(result.stdout)
      assertMatchesSchema(schema, value)
      return value
    }

    const {agentId} = json('run-agent-result', 'run:agent', 'Greeter')
    expect(agentId).to.match(/^\d+-greeter$/)
    expect(json('agent-event-result', 'agent:event', agentId, 'greet', '--input', '{"name":"Ada"}')).to.deep.equal({agentId, event: 'greet', result: 'Hello, Ada!'})
    const human = cli('agent:event', agentId, 'greet', '--input', '{"name":"Bo"}')
    expect(JSON.parse(human.stdout)).to.equal('Hello, Bo!')
    // the greeter's state is "greetings"; the project also has "history" (Support): the one it answers is read
    expect(json('agent-state-result', 'agent:state', agentId)).to.deep.equal({agentId, name: 'greetings', state: ['Hello, Ada!', 'Hello, Bo!']})
    expect(JSON.parse(cli('agent:state', agentId, '--name', 'greetings').stdout)).to.deep.equal(['Hello, Ada!', 'Hello, Bo!'])

    const waiting = cli('agent:result', agentId, '--timeout', '2')
    expect(waiting.status).to.equal(1)
    expect(errorText(waiting.stderr)).to.match(new RegExp(`The agent "${agentId}" did not end within 2 s: .*An agent returns its result once it receives "end" \\("restack agent:event ${agentId} end"\\)`))
    json('agent-event-result', 'agent:event', agentId, 'end')
    expect(json('agent-result-result', 'agent:result', agentId)).to.deep.equal({agentId, result: {greetings: ['Hello, Ada!', 'Hello, Bo!']}})

    // a generated agent, its wire event name as typed, its "history" state
    const support = json('run-agent-result', 'run:agent', 'support', '--id', 'support-1', '--input', '{"history":[]}')
    expect(support).to.include({agent: 'agentSupport', agentId: 'support-1'})
    expect(json('agent-event-result', 'agent:event', 'support-1', 'message', '--input', '{"text":"hi"}').result).to.deep.equal({received: 1})
    expect(json('agent-state-result', 'agent:state', 'support-1').state).to.deep.equal([{event: 'message', input: {text: 'hi'}}])
  })

  it('refuses bad input to the agent verbs with one paragraph naming the value', () => {
    const cases: Array<[string[], RegExp]> = [
      [['agent:event', 'any', 'greet', '--input', '{name:'], /^--input "\{name:" is not JSON \(.*\)\. Pass JSON, e\.g\. --input '\{"name":"Ada"\}'\.$/],
      [['run:agent', 'Greeter', '--input', 'nope'], /^--input "nope" is not JSON/],
      [['run:agent', 'Nobody'], /^"Nobody" is not an agent of this project; it has greeter, support\. Generate it first \("restack g agent Nobody"\)/],
      [['agent:event', 'no-such-agent', 'greet', '--timeout', '3'], /^The event "greet" to the agent "no-such-agent" failed: .*not found.*Check the agent id/i],
      [['agent:state', 'no-such-agent', '--name', 'greetings', '--timeout', '3'], /^Reading the state of the agent "no-such-agent" failed: .*not found/i],
    ]
    for (const [args, message] of cases) {
      const result = runCli(args, {cwd: root, env})
      expect(result.status, args.join(' ')).to.equal(1)
      expect(isOneParagraph(result.stderr), result.stderr).to.equal(true)
      expect(errorText(result.stderr).replace(/^Error: /, '')).to.match(message)
    }
  })

  it('loops and branches on the deciding step\'s own output, not on flags left in the data', () => {
    const result = runCli(['run:workflow', 'StalePipeline', '--input', '{"name":"Ada","continue":true,"ok":true}', '--json'], {cwd: root, env})
    expect(result.status, result.stderr).to.equal(0)
    // greet never says continue or ok: the loop runs once and the conditional takes its else branch
    expect(JSON.parse(result.stdout).result.trail).to.deep.equal(['tidy', 'no'])
  })

  it('names the engine address when the engine is not there', async () => {
    const away = {RESTACK_ENGINE_ADDRESS: `127.0.0.1:${await freePort()}`}
    for (const args of [['run:workflow', 'HelloPipeline'], ['run:agent', 'Greeter'], ['agent:event', 'x', 'greet'], ['agent:state', 'x'], ['agent:result', 'x']]) {
      const result = runCli(args, {cwd: root, env: away})
      expect(result.status, args.join(' ')).to.equal(1)
      expect(errorText(result.stderr)).to.match(/cannot reach the Restack engine at 127\.0\.0\.1:\d+ \(connection refused\)/)
    }
  })
})
