import {Client} from '@modelcontextprotocol/sdk/client/index.js'
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js'
import {expect} from 'chai'
import {ChildProcess, spawn, spawnSync} from 'node:child_process'
import {request} from 'node:http'
import {join} from 'node:path'

import {pythonMcp} from '../../plugins/plugin-tools/test/helpers/python-mcp.js'
import {BIN, REPO_ROOT, runCli} from '../helpers/cli.js'
import {snapshot, tempDir} from '../helpers/fs.js'
import {installProject} from '../helpers/install.js'
import {inspectorCli} from '../helpers/inspector.js'
import {linkPlugins} from '../helpers/plugins.js'

/**
 * `restack mcp` driven by two real third-party clients, the official Python MCP SDK and the MCP
 * Inspector CLI, over stdio and Streamable HTTP, in one installed project: each run plans, applies,
 * checks (doctor with the project's type-check) and destroys a function, and the project ends
 * byte-identical to how it started.
 */

const CLIENT = join(REPO_ROOT, 'test/fixtures/restack_mcp_client.py')
const TOOLS = ['apply', 'check-pipeline', 'destroy', 'doctor', 'generators', 'list', 'plan', 'run-workflow']

/** `restack mcp --http --port 0` in `cwd`; resolves with its URL (the line it prints on stdout). */
async function startHttp(cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{child: ChildProcess; url: string}> {
  const child = spawn(process.execPath, [BIN, 'mcp', '--http', '--port', '0'], {cwd, env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'pipe']})
  let stderr = ''
  child.stderr!.on('data', (chunk) => (stderr += chunk))
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk) => {
      out += chunk
      const match = /^(http:\/\/127\.0\.0\.1:\d+\/mcp)$/m.exec(out)
      if (match) resolve(match[1])
    })
    child.once('exit', (code) => reject(new Error(`restack mcp --http exited ${code}: ${stderr}`)))
  })
  return {child, url}
}

const stop = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })

/** A raw POST with chosen Host and Origin headers (fetch cannot set Host): the status code. */
const post = (url: string, headers: Record<string, string>): Promise<number> =>
  new Promise((resolve, reject) => {
    const body = JSON.stringify({id: 1, jsonrpc: '2.0', method: 'initialize', params: {capabilities: {}, clientInfo: {name: 'probe', version: '1'}, protocolVersion: '2025-06-18'}})
    const req = request(url, {headers: {accept: 'application/json, text/event-stream', 'content-type': 'application/json', ...headers}, method: 'POST'}, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.once('error', reject)
    req.end(body)
  })

describe('restack mcp (real MCP clients, a real project)', function () {
  this.timeout(900_000)
  const dir = tempDir('restack-mcp-')
  const root = join(dir.path, 'demo')
  let fresh: Record<string, string>

  before(async () => {
    const created = runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path})
    expect(created.status, created.stderr).to.equal(0)
    await installProject(root)
    fresh = snapshot(root)
  })

  after(() => dir.cleanup())

  describe('the official Python MCP SDK client', () => {
    const python = pythonMcp()

    const exercise = (target: string[]) => {
      const result = spawnSync(python.python!, [CLIENT, root, ...target], {cwd: root, encoding: 'utf8', timeout: 600_000})
      expect(result.status, `${result.stdout}\n${result.stderr}`).to.equal(0)
      return JSON.parse(result.stdout.trim().split('\n').at(-1)!)
    }

    const expectTheWholeStory = (out: Record<string, any>) => {
      expect(out.server).to.equal('restack')
      expect(out.instructions).to.match(/generators.*plan.*apply/s)
      expect(out.tools).to.deep.equal(TOOLS)
      expect(out.output_schemas).to.deep.equal(TOOLS)
      expect(out.resources).to.include.members(['restack://project/restack.yaml', 'restack://docs/contract.md'])
      expect(out.restack_yaml).to.match(/app: "demo"/)
      expect(out.contract).to.match(/generated-code contract/)
      // the generator's schema, derived from its flags: an integer with its minimum, a string, booleans
      const options = out.function_schema.properties.options.properties
      expect(options['rate-limit']).to.include({minimum: 1, type: 'integer'})
      expect(options['task-queue']).to.include({type: 'string'})
      expect(options).to.have.property('force')
      expect(options).to.not.have.property('dry-run')
      expect(out.kinds).to.include.members(['agent', 'function', 'pipeline', 'prompt', 'workflow'])
      // plan: the files with their actions, a diff naming them, nothing written
      expect(out.plan.isError, out.plan.text).to.equal(false)
      const planned = out.plan.structured.files.map((file: {action: string; path: string}) => `${file.action} ${file.path}`)
      expect(planned).to.include.members(['create src/functions/sendEmail.ts', 'create test/functions/sendEmail.test.ts', 'update src/functions/index.ts', 'update src/services.ts'])
      expect(out.plan.structured.diff).to.include('+++ b/src/functions/sendEmail.ts').and.include('--- a/src/services.ts').and.include('taskQueue: "email"')
      expect(out.plan.text).to.include(out.plan.structured.planId)
      expect(out.plan_wrote_nothing).to.equal(true)
      // apply: the same files, written
      expect(out.apply.isError, out.apply.text).to.equal(false)
      expect(out.apply.structured).to.include({written: true})
      expect(out.apply.structured.files.map((file: {action: string; path: string}) => `${file.action} ${file.path}`)).to.deep.equal(planned)
      expect(out.list.entities.functions.map((entity: {name: string; taskQueue: string}) => `${entity.name} ${entity.taskQueue}`)).to.include('sendEmail email')
      // in between, the grown project passes doctor, its type-check included
      expect(out.doctor.isError, out.doctor.text).to.equal(false)
      expect(out.doctor.structured.rules).to.include('typecheck')
      expect(out.doctor.structured.findings.filter((finding: {severity: string}) => finding.severity === 'error'), out.doctor.text).to.deep.equal([])
      expect(out.doctor.structured.ok).to.equal(true)
      // a stale plan is refused, naming the file, and writes nothing
      expect(out.stale_apply.isError).to.equal(true)
      expect(out.stale_apply.text).to.match(/The plan is stale: "src\/workflows\/index\.ts" changed since the plan was made\. Nothing was written\./)
      expect(out.stale_wrote_nothing).to.equal(true)
      // bad arguments: isError results naming the field
      expect(out.bad['unknown option']).to.include({isError: true})
      expect(out.bad['unknown option'].text).to.match(/^options\.rate-limt: .*Did you mean "rate-limit"\?/)
      expect(out.bad['option type'].isError).to.equal(true)
      expect(out.bad['option type'].text).to.match(/rate-limit/).and.match(/integer/)
      expect(out.bad['kind type'].isError).to.equal(true)
      expect(out.bad['kind type'].text).to.match(/kind/)
      expect(out.bad['unknown kind'].text).to.match(/^kind: "functon" is not a kind .*Did you mean "function"\?/)
      expect(out.bad['bad name']).to.include({isError: true})
      expect(out.bad['bad name'].text).to.match(/"1st-step" is not a valid function name/)
      expect(out.bad.planId.text).to.match(/^planId: "not-a-plan" is not a planId/)
      expect(out.check_pipeline.ok).to.equal(false)
      expect(out.check_pipeline.error).to.include({column: 10, found: '->'})
      expect(out.check_pipeline.error.message).to.include('  greet -> -> sendEmail\n           ^')
      // destroy: a plan of the removal, then apply
      expect(out.destroy.isError, out.destroy.text).to.equal(false)
      expect(out.destroy.structured.files.map((file: {action: string; path: string}) => `${file.action} ${file.path}`)).to.include.members(['delete src/functions/sendEmail.ts', 'update src/services.ts'])
      expect(out.destroy_apply.isError, out.destroy_apply.text).to.equal(false)
      expect(out.destroy_apply.structured).to.include({mode: 'destroy', written: true})
    }

    before(function () {
      if (!python.python) this.skip()
    })

    it('over stdio: initialize, tools, resources, a schema, plan, apply, doctor with the type-check, a stale apply, bad arguments, destroy; the tree ends byte-identical', () => {
      expectTheWholeStory(exercise(['stdio', process.execPath, BIN, 'mcp']))
      expect(snapshot(root)).to.deep.equal(fresh)
    })

    it('over Streamable HTTP on 127.0.0.1: the same story, and foreign Host or Origin headers are refused', async () => {
      const {child, url} = await startHttp(root)
      try {
        const port = new URL(url).port
        expect(await post(url, {host: `evil.example:${port}`})).to.equal(403)
        expect(await post(url, {host: `127.0.0.1:${port}`, origin: 'http://evil.example'})).to.equal(403)
        expect(await post(url, {host: `localhost:${port}`, origin: `http://localhost:${port}`})).to.equal(200)
        expectTheWholeStory(exercise(['http', url]))
      } finally {
        await stop(child)
      }

      expect(snapshot(root)).to.deep.equal(fresh)
    })
  })

  describe('the MCP Inspector CLI', () => {
    let cli: string
    before(() => {
      cli = inspectorCli()
    })

    // The Inspector gives up on a request after the SDK's 60 s: doctor runs without the type-check
    // (which it runs by default when the project is installed), and the test runs the type-check itself.
    const quick = {RESTACK_DOCTOR_TYPECHECK: '0'}
    /** One Inspector call: it connects, initializes, runs one method and prints the result as JSON. */
    const inspect = (target: string[], method: string, args: string[] = []) => {
      const result = spawnSync(process.execPath, [cli, '--cli', ...target, '--method', method, ...args], {cwd: root, encoding: 'utf8', env: {...process.env, ...quick}, timeout: 300_000})
      expect(result.status, `${result.stdout}\n${result.stderr}`).to.equal(0)
      return JSON.parse(result.stdout)
    }

    const call = (target: string[], tool: string, args: Record<string, unknown>) =>
      inspect(target, 'tools/call', ['--tool-name', tool, ...Object.entries(args).flatMap(([key, value]) => ['--tool-arg', `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`])])

    // Each Inspector call starts a client (and, on stdio, a server): the story is kept to the calls the
    // acceptance names; the Python client above covers stale plans and bad arguments in depth.
    const story = (target: string[]) => {
      expect(inspect(target, 'tools/list').tools.map((tool: {name: string}) => tool.name).sort()).to.deep.equal(TOOLS)
      expect(inspect(target, 'resources/list').resources.map((resource: {uri: string}) => resource.uri)).to.include('restack://project/restack.yaml')
      const schema = call(target, 'generators', {kind: 'function'}).structuredContent.generators[0].inputSchema
      expect(schema.properties.options.properties['max-concurrent']).to.include({type: 'integer'})
      // on stdio, one server process per call: the planId alone carries the plan to the next process
      const plan = call(target, 'plan', {kind: 'function', name: 'ChargeCard'})
      expect(plan.isError ?? false, JSON.stringify(plan)).to.equal(false)
      expect(plan.structuredContent.diff).to.include('+++ b/src/functions/chargeCard.ts').and.include('+++ b/src/services.ts')
      expect(snapshot(root), 'plan writes nothing').to.deep.equal(fresh)
      const applied = call(target, 'apply', {planId: plan.structuredContent.planId})
      expect(applied.structuredContent, JSON.stringify(applied)).to.include({written: true})
      const doctor = call(target, 'doctor', {typecheck: false})
      expect(doctor.structuredContent.ok, JSON.stringify(doctor.structuredContent.findings)).to.equal(true)
      const typecheck = spawnSync('npm', ['run', 'typecheck'], {cwd: root, encoding: 'utf8'})
      expect(typecheck.status, typecheck.stdout + typecheck.stderr).to.equal(0)
      const destroy = call(target, 'destroy', {kind: 'function', name: 'ChargeCard'})
      expect(destroy.structuredContent.files.map((file: {action: string; path: string}) => `${file.action} ${file.path}`)).to.include('delete src/functions/chargeCard.ts')
      expect(call(target, 'apply', {planId: destroy.structuredContent.planId}).structuredContent).to.include({mode: 'destroy', written: true})
      expect(snapshot(root)).to.deep.equal(fresh)
    }

    it('over stdio: tools, resources, a schema, plan, apply, doctor, destroy; the tree ends byte-identical', () => {
      story([process.execPath, BIN, 'mcp'])
    })

    it('over Streamable HTTP: the same', async () => {
      const {child, url} = await startHttp(root, quick)
      try {
        story([url, '--transport', 'http'])
      } finally {
        await stop(child)
      }
    })
  })

  describe("an installed plugin's generators (the SDK's own client)", () => {
    it('lists their option schemas, and plans, applies and destroys through the plugin\'s own command (its own copy of the engine)', async () => {
      const env = {...process.env, ...linkPlugins(join(dir.path, 'data'), [{name: '@restack/plugin-tools', root: join(REPO_ROOT, 'plugins/plugin-tools')}])}
      const client = new Client({name: 'plugin-test', version: '1.0.0'})
      const childEnv = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined))
      await client.connect(new StdioClientTransport({args: [BIN, 'mcp'], command: process.execPath, cwd: root, env: childEnv, stderr: 'ignore'}))
      const call = async (name: string, args: Record<string, unknown>) => {
        const result = await client.callTool({arguments: args, name})
        expect(result.isError, JSON.stringify(result.content)).to.not.equal(true)
        return result.structuredContent as Record<string, any>
      }

      try {
        const [info] = (await call('generators', {kind: 'tool-server'})).generators
        expect(info).to.include({destroyCommand: 'destroy:tool-server', plugin: '@restack/plugin-tools'})
        expect(info.inputSchema.properties.options.properties.transport).to.include({default: 'stdio', type: 'string'}).and.deep.include({enum: ['stdio', 'http']})
        expect(info.inputSchema.properties.options.properties.port).to.include({maximum: 65_535, minimum: 1, type: 'integer'})
        const plan = await call('plan', {kind: 'tool-server', name: 'Calc', options: {transport: 'http'}})
        expect(plan.diff).to.include('+++ b/src/tools/servers/calc.ts').and.include('+++ b/config/tools.yaml')
        expect(snapshot(root), 'plan writes nothing').to.deep.equal(fresh)
        expect(await call('apply', {planId: plan.planId})).to.include({written: true})
        const destroy = await call('destroy', {kind: 'tool-server', name: 'Calc'})
        expect(await call('apply', {planId: destroy.planId})).to.include({mode: 'destroy', written: true})
      } finally {
        await client.close()
      }

      expect(snapshot(root)).to.deep.equal(fresh)
    })
  })
})
