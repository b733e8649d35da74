import {Client} from '@modelcontextprotocol/sdk/client/index.js'
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js'
import {expect} from 'chai'
import {ChildProcess, spawn} from 'node:child_process'
import {join} from 'node:path'

import {BIN, errorText, run, runCli} from '../helpers/cli.js'
import {tempDir} from '../helpers/fs.js'
import {installProject} from '../helpers/install.js'
import {freePort, waitForPort} from '../helpers/ports.js'
import {assertMatchesSchema} from '../helpers/schema.js'
import {devServerArgs, temporalCliPath} from '../helpers/temporal.js'

const exited = (child: ChildProcess): Promise<unknown> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve))

describe('restack run:workflow and run:<pipeline> on the dev server', function () {
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

  it('says clearly when no worker runs the workflow', () => {
    const result = runCli(['run:workflow', 'HelloPipeline', '--timeout', '3'], {cwd: root, env})
    expect(result.status).to.equal(1)
    expect(errorText(result.stderr)).to.match(/helloPipeline \(workflow id "\d+-helloPipeline"\) did not finish within 3 s\. Is the service running \("restack run:server"/)
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

  it('loops and branches on the deciding step\'s own output, not on flags left in the data', () => {
    const result = runCli(['run:workflow', 'StalePipeline', '--input', '{"name":"Ada","continue":true,"ok":true}', '--json'], {cwd: root, env})
    expect(result.status, result.stderr).to.equal(0)
    // greet never says continue or ok: the loop runs once and the conditional takes its else branch
    expect(JSON.parse(result.stdout).result.trail).to.deep.equal(['tidy', 'no'])
  })

  it('names the engine address when the engine is not there', async () => {
    const result = runCli(['run:workflow', 'HelloPipeline'], {cwd: root, env: {RESTACK_ENGINE_ADDRESS: `127.0.0.1:${await freePort()}`}})
    expect(result.status).to.equal(1)
    expect(errorText(result.stderr)).to.match(/cannot reach the Restack engine at 127\.0\.0\.1:\d+ \(connection refused\)/)
  })
})
