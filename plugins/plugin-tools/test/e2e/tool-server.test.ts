import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {BIN, REPO_ROOT, errorText, run, runCli} from '../../../../test/helpers/cli.js'
import {BASH_COMPLETION, completeInBash, completionEnv} from '../../../../test/helpers/completion.js'
import {snapshot, tempDir} from '../../../../test/helpers/fs.js'
import {installProject} from '../../../../test/helpers/install.js'
import {linkPlugins} from '../../../../test/helpers/plugins.js'
import {pythonMcp} from '../helpers/python-mcp.js'
import {devServerArgs, temporalCliPath} from '../../../../test/helpers/temporal.js'
import {freePort, waitForPort} from '../../../../test/helpers/ports.js'

/** Pids of live processes whose working directory is under dir (Linux /proc). */
function processesIn(dir: string): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`)
      if (cwd === dir || cwd.startsWith(`${dir}/`)) pids.push(Number(entry))
    } catch {
      // gone, or not ours
    }
  }

  return pids
}

async function waitUntil(what: string, check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`)
    // eslint-disable-next-line no-await-in-loop
    await new Promise((resolve) => {
      setTimeout(resolve, 100)
    })
  }
}

const PLUGIN = {name: '@restack/plugin-tools', root: join(REPO_ROOT, 'plugins/plugin-tools')}
const LLM_PLUGIN = {name: '@restack/plugin-llm', root: join(REPO_ROOT, 'plugins/plugin-llm')}

/** A snapshot without what generating legitimately leaves behind (the ledger). */
const sourceSnapshot = (root: string): Record<string, string> =>
  Object.fromEntries(Object.entries(snapshot(root)).filter(([path]) => !path.startsWith('.restack')))

describe('plugin-tools: generate:tool-server in a fresh project', function () {
  this.timeout(120_000)
  let dir: ReturnType<typeof tempDir>
  let env: NodeJS.ProcessEnv
  const root = () => join(dir.path, 'demo')
  const cli = (args: string[]) => runCli(args, {cwd: root(), env})

  beforeEach(() => {
    dir = tempDir('restack-tools-')
    env = linkPlugins(join(dir.path, 'data'), [PLUGIN])
    expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path}).status).to.equal(0)
  })
  afterEach(() => dir.cleanup())

  it('appends each server to config/tools.yaml, keeping the comments a user added', () => {
    expect(cli(['g', 'tool-server', 'Calc']).status).to.equal(0)
    const file = join(root(), 'config/tools.yaml')
    const edited = readFileSync(file, 'utf8').replace('servers:\n', 'servers:   # my servers\n  # calc is for sums\n') + '    # end of calc\n'
    writeFileSync(file, edited)
    const result = cli(['g', 'tool-server', 'Web', '--transport', 'http', '--port', '8931'])
    expect(result.status, result.stderr).to.equal(0)
    const after = readFileSync(file, 'utf8')
    expect(after.startsWith(edited), after).to.equal(true)
    expect(after.slice(edited.length)).to.match(/^ {2}web:\n {4}transport: http\n {4}url: http:\/\/127\.0\.0\.1:8931\/mcp\n/)
    // destroy is the exact inverse of the append
    expect(cli(['destroy:tool-server', 'Web']).status).to.equal(0)
    expect(readFileSync(file, 'utf8')).to.equal(edited)
  })

  it('plans the same files in a dry run, changes nothing then, and destroy leaves the project as "new" made it', () => {
    const fresh = sourceSnapshot(root())
    const dry = cli(['g', 'tool-server', 'Calc', '--dry-run'])
    expect(dry.status, dry.stderr).to.equal(0)
    expect(sourceSnapshot(root())).to.deep.equal(fresh)
    const real = cli(['g', 'tool-server', 'Calc'])
    expect(real.stdout).to.equal(dry.stdout.replace(/Dry run: nothing was written\.\n$/, ''))
    expect(JSON.parse(readFileSync(join(root(), 'package.json'), 'utf8')).dependencies).to.include({'@modelcontextprotocol/sdk': '1.32.2'})
    expect(cli(['g', 'tool-server', 'Web', '--transport', 'http']).status).to.equal(0)
    for (const name of ['Web', 'Calc']) {
      const destroyed = cli(['destroy:tool-server', name])
      expect(destroyed.status, destroyed.stderr).to.equal(0)
    }

    expect(sourceSnapshot(root())).to.deep.equal(fresh)
  })

  describe('running it again for a server that exists (issue 14)', () => {
    /** The whole project, ledger included (only the plugin's Tab-completion cache may change). */
    const tree = (): Record<string, string> => Object.fromEntries(Object.entries(snapshot(root())).filter(([path]) => !path.startsWith('.restack/cache')))
    let before: Record<string, string>
    let beforeYaml: string
    beforeEach(() => {
      expect(cli(['g', 'tool-server', 'Calc']).status).to.equal(0)
      expect(cli(['g', 'tool-server', 'Files']).status).to.equal(0)
      before = tree()
      beforeYaml = readFileSync(join(root(), 'config/tools.yaml'), 'utf8')
    })

    it('with the same options: every file identical, exit 0, nothing written', () => {
      const again = cli(['g', 'tool-server', 'Calc', '--json'])
      expect(again.status, again.stderr).to.equal(0)
      const files = JSON.parse(again.stdout).files as Array<{action: string; path: string}>
      expect(files.map((file) => file.action)).to.satisfy((actions: string[]) => actions.length > 0 && actions.every((action) => action === 'identical'))
      expect(files.map((file) => file.path)).to.include.members(['config/tools.yaml', 'src/tools/servers/calc.ts', 'src/functions/calcTool.ts'])
      expect(tree()).to.deep.equal(before)
    })

    it('with another transport: a conflict that names what would change, exit 1 and nothing written; --dry-run shows it', () => {
      const other = cli(['g', 'tool-server', 'Calc', '--transport', 'http'])
      expect(other.status).to.equal(1)
      const message = errorText(other.stderr)
      expect(message).to.match(/The tool-server "calc" already exists, and this run would generate it differently: it would change config\/tools\.yaml \(\+\d+ -\d+ lines\), src\/tools\/servers\/calc\.ts \(\+\d+ -\d+ lines\)/)
      expect(message).to.match(/Nothing was written\. Pass --force to replace those files .* or --skip to keep them/)
      expect(message).not.to.include('calcTool')
      expect(tree()).to.deep.equal(before)
      const dry = cli(['g', 'tool-server', 'Calc', '--transport', 'http', '--dry-run', '--json'])
      expect(dry.status, dry.stderr).to.equal(0)
      const actions = Object.fromEntries((JSON.parse(dry.stdout).files as Array<{action: string; path: string}>).map((file) => [file.path, file.action]))
      expect(actions).to.include({'config/tools.yaml': 'conflict', 'src/functions/calcTool.ts': 'identical', 'src/tools/servers/calc.ts': 'conflict'})
      expect(tree()).to.deep.equal(before)
    })

    it('--skip keeps the server as it is (exit 0); --force replaces it with what the other options generate, its tools.yaml entry in place', () => {
      const skipped = cli(['g', 'tool-server', 'Calc', '--transport', 'http', '--skip'])
      expect(skipped.status, skipped.stderr).to.equal(0)
      expect(tree()).to.deep.equal(before)

      const forced = cli(['g', 'tool-server', 'Calc', '--transport', 'http', '--port', '8931', '--force'])
      expect(forced.status, forced.stderr).to.equal(0)
      const server = readFileSync(join(root(), 'src/tools/servers/calc.ts'), 'utf8')
      expect(server).to.include('StreamableHTTPServerTransport').and.include('DEFAULT_PORT = 8931')
      const config = readFileSync(join(root(), 'config/tools.yaml'), 'utf8')
      // calc's entry is the HTTP one now, where it was (before files'), and files' is untouched
      expect(config).to.match(/\n {2}calc:\n {4}transport: http\n {4}url: http:\/\/127\.0\.0\.1:8931\/mcp\n[^]*\n {2}files:\n {4}transport: stdio\n/)
      const withoutCalc = (text: string) => text.replace(/^ {2}calc:\n(?: {4}.*\n)+/m, '')
      expect(withoutCalc(config)).to.equal(withoutCalc(beforeYaml))
      // the same as a fresh run with those options: running it again is identical, and destroy takes all of it away
      const again = cli(['g', 'tool-server', 'Calc', '--transport', 'http', '--port', '8931'])
      expect(again.status, again.stderr).to.equal(0)
      expect(again.stdout).not.to.match(/^\s*(create|update|force|conflict) /m)
      for (const name of ['Calc', 'Files']) expect(cli(['destroy:tool-server', name]).status).to.equal(0)
      expect(existsSync(join(root(), 'src/tools/servers/calc.ts'))).to.equal(false)
    })
  })

  it('destroying in the other order also takes config/tools.yaml back, and the project is as new made it', () => {
    const services = readFileSync(join(root(), 'src/services.ts'), 'utf8')
    for (const args of [['g', 'tool-server', 'Calc'], ['g', 'tool-server', 'Web', '--transport', 'http'], ['destroy:tool-server', 'Calc'], ['destroy:tool-server', 'Web']]) {
      const result = cli(args)
      expect(result.status, `${args.join(' ')}: ${result.stderr}`).to.equal(0)
    }

    // The ledger follows restack's own edits of a file nobody else changed, so the file is still restack's to delete.
    expect(existsSync(join(root(), 'config/tools.yaml'))).to.equal(false)
    expect(readFileSync(join(root(), 'src/services.ts'), 'utf8')).to.equal(services)
  })

  it('refuses bad input with one paragraph, leaving the project as it was', () => {
    const before = snapshot(root())
    for (const [args, message] of [
      [['g', 'tool-server', 'Calc', '--port', '9000'], /--port 9000 is for HTTP servers/],
      [['g', 'tool-server', 'Calc', '--transport', 'sse'], /Expected --transport=sse to be one of: stdio, http/],
      [['destroy:tool-server', 'Nope'], /There is no tool server "nope" to destroy/],
      [['g', 'tool-agent', 'Support', '--tools', 'nope'], /--tools "nope" names no tool server of config\/tools\.yaml \(known: none\)/],
    ] as const) {
      const result = cli([...args])
      expect(result.status, args.join(' ')).to.not.equal(0)
      expect(errorText(result.stderr)).to.match(message)
    }

    expect(snapshot(root())).to.deep.equal(before)
  })
})

describe('plugin-tools: a project with a stdio and an HTTP tool server, installed for real', function () {
  this.timeout(600_000)
  let dir: ReturnType<typeof tempDir>
  let env: NodeJS.ProcessEnv
  const root = () => join(dir.path, 'demo')
  const cli = (args: string[]) => runCli(args, {cwd: root(), env})

  before(async () => {
    dir = tempDir('restack-tools-installed-')
    env = linkPlugins(join(dir.path, 'data'), [PLUGIN, LLM_PLUGIN])
    expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path}).status).to.equal(0)
    // the agent loop (generate:tool-agent) needs the LLM router's llmChat
    for (const args of [['g', 'tool-server', 'Calc'], ['generate:tool-server', 'Web', '--transport', 'http'], ['g', 'llm-config'], ['g', 'tool-agent', 'Support', '--tools', 'calc']]) {
      const result = cli(args)
      expect(result.status, result.stderr).to.equal(0)
    }

    await installProject(root())
  })
  after(() => dir?.cleanup())

  it('type-checks', async () => {
    await run('npm', ['run', 'typecheck'], {cwd: root()})
  })

  it('passes all of its own tests (npm test) on a local Temporal dev server: the tool servers, stdout hygiene, the manager\'s process groups, the agent loop', async function () {
    const temporal = temporalCliPath()
    if (!temporal) this.skip()
    const output = await run('npm', ['test'], {cwd: root(), env: {TEMPORAL_CLI_PATH: temporal}})
    // the LLM + tools agent on the dev server: wire-fake LLM, the real calc server, a worker restart mid-loop
    expect(output).to.include('agentSupport (LLM + calc tools)')
    expect(output).to.match(/resumes after a worker restart mid-loop, and no step runs twice/)
    // the tool tests: servers, stdout hygiene, the arithmetic limits, the manager's process groups
    for (const name of ['tool server calc (stdio)', 'tool server web (http)', 'tool manager', 'config/tools.yaml validation']) expect(output).to.include(name)
    expect(output).to.match(/writes nothing but JSON-RPC on stdout, even when tool code logs/)
    expect(output).to.match(/no grandchild of a wrapper script survives/)
    expect(output).to.match(/\d+ passing/)
    expect(output).not.to.match(/failing|pending/)
  })

  it('kill -9 of "restack run:server" leaves neither the service nor its tool servers behind', async function () {
    const temporal = temporalCliPath()
    if (!temporal || process.platform !== 'linux') this.skip()
    const [port, uiPort] = [await freePort(), await freePort()]
    const engine = spawn(temporal, devServerArgs(port, uiPort), {cwd: dir.path, stdio: 'ignore'})
    try {
      await waitForPort(port, 30_000)
      const cli = spawn(process.execPath, [BIN, 'run:server'], {cwd: root(), env: {...process.env, ...env, RESTACK_ENGINE_ADDRESS: `127.0.0.1:${port}`}, stdio: ['ignore', 'pipe', 'pipe']})
      let output = ''
      cli.stdout!.on('data', (chunk) => (output += chunk))
      cli.stderr!.on('data', (chunk) => (output += chunk))
      // the service and both tool servers (each a process whose cwd is the project)
      await waitUntil('the service and its tool servers', () => processesIn(root()).length >= 3 || cli.exitCode !== null, 60_000)
      await waitUntil('the service to run', () => /Services running successfully/.test(output) || cli.exitCode !== null, 60_000)
      expect(cli.exitCode, output).to.equal(null)
      expect(processesIn(root()).length, output).to.be.at.least(3)
      cli.kill('SIGKILL')
      await waitUntil('no process left in the project', () => processesIn(root()).length === 0, 15_000)
    } finally {
      engine.kill('SIGTERM')
    }
  })

  it('the official Python MCP SDK client lists and calls every sample tool, resource and prompt, over stdio and HTTP (bearer auth)', async function () {
    const {python, reason} = pythonMcp()
    if (!python) {
      if (/no python3/.test(reason ?? '')) this.skip()
      throw new Error(reason)
    }

    const client = join(PLUGIN.root, 'test/e2e/fixtures/python_mcp_client.py')
    // the client's JSON line, among the server's stderr lines the client passes through
    const report = (output: string) => JSON.parse(output.split('\n').find((line) => line.startsWith('{"server"')) ?? output)
    const stdio = report(await run(python, [client, 'stdio', process.execPath, '--require', 'tsx/cjs', 'src/tools/servers/calc.ts'], {cwd: root()}))
    const web = spawn(process.execPath, ['--require', 'tsx/cjs', 'src/tools/servers/web.ts'], {cwd: root(), env: {...process.env, MCP_AUTH_TOKEN: 'e2e-token', PORT: '0'}, stdio: ['ignore', 'pipe', 'ignore']})
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let seen = ''
        web.stdout!.on('data', (chunk) => {
          seen += chunk
          const match = /MCP_LISTENING (\S+)/.exec(seen)
          if (match) resolve(match[1])
        })
        web.once('exit', (code) => reject(new Error(`the web server exited ${code}`)))
      })
      const http = report(await run(python, [client, 'http', url, 'e2e-token'], {cwd: root()}))
      const refused = await run(python, [client, 'http', url], {cwd: root()}).then(() => '', (error: Error) => error.message)
      expect(refused).to.match(/401|Unauthorized/)
      for (const [name, seen] of [['calc', stdio], ['web', http]] as const) {
        expect(seen.server).to.equal(name)
        expect(seen.tools).to.deep.equal(['add', 'countdown', 'evaluate'])
        expect(seen.output_schemas).to.deep.equal(['add', 'countdown', 'evaluate'])
        expect(seen.calls['add {"a": 2, "b": 40}']).to.deep.equal({isError: false, structured: {result: 42}, text: '42'})
        expect(seen.calls['add {"a": 1e+308, "b": 1e+308}']).to.include({isError: true})
        expect(seen.calls['evaluate {"expression": "(1 + 2) * 3 ** 2"}']).to.deep.equal({isError: false, structured: {result: 27}, text: '27'})
        expect(seen.calls['evaluate {"expression": "9**9**9**9"}'].isError).to.equal(true)
        expect(seen.calls.countdown.structured).to.deep.equal({completed: 3})
        expect(seen.progress.map((p: number[]) => p[0])).to.deep.equal([1, 2, 3])
        expect(seen.cancel).to.equal('cancelled')
        expect(seen.after_cancel).to.equal('2')
        expect(seen.resources).to.deep.equal(['arithmetic://limits'])
        expect(seen.limits.maxLength).to.equal(200)
        expect(seen.prompts).to.deep.equal(['explain'])
        expect(seen.prompt_text).to.include('1 + 2')
      }
    } finally {
      web.kill('SIGTERM')
    }
  })

  it('tools:call calls each sample tool of each server and prints its result', () => {
    for (const server of ['calc', 'web']) {
      const sum = cli(['tools:call', server, 'add', '--args', '{"a": 2, "b": 40}'])
      expect(sum.status, sum.stderr).to.equal(0)
      expect(sum.stdout).to.equal('42\n')
      const evaluated = cli(['tools:call', server, 'evaluate', '--args', '{"expression": "(1 + 2) * 3 ** 2"}'])
      expect(evaluated.stdout, evaluated.stderr).to.equal('27\n')
    }

    const refused = cli(['tools:call', 'calc', 'evaluate', '--args', '{"expression": "9**9**9**9"}'])
    expect(refused.status).to.equal(1)
    expect(refused.stderr).to.match(/calc\.evaluate returned an error: The exponent 387420489 is too large/)
    const json = JSON.parse(cli(['tools:call', 'web', 'add', '--args', '{"a": 1, "b": 1}', '--json']).stdout)
    expect(json.result.content).to.deep.equal([{text: '2', type: 'text'}])
    const bad = cli(['tools:call', 'calc', 'add', '--args', '[1]'])
    expect(bad.status).to.equal(2)
    expect(errorText(bad.stderr)).to.match(/--args "\[1\]" must be a JSON object/)
  })

  it('tools:health reports both servers ready; tools:list names their tools', () => {
    const health = cli(['tools:health'])
    expect(health.status, health.stderr).to.equal(0)
    expect(health.stdout).to.match(/^calc \(stdio\): ready in \d+ ms, 3 tools\nweb \(http\): ready in \d+ ms, 3 tools\n$/)
    const list = cli(['tools:list', '--json'])
    const servers = JSON.parse(list.stdout).servers as Array<{name: string; tools: Array<{name: string}>}>
    expect(servers.map((server) => [server.name, server.tools.map((tool) => tool.name).sort()])).to.deep.equal([
      ['calc', ['add', 'countdown', 'evaluate']],
      ['web', ['add', 'countdown', 'evaluate']],
    ])
  })

  it('completes tools:call with the servers, and after a server with the tools tools:list found, in real bash', function () {
    if (!existsSync(BASH_COMPLETION)) this.skip()
    const shell = completionEnv(join(root(), '..', 'shell'))
    expect(cli(['tools:list']).status).to.equal(0)
    expect(completeInBash(['restack', 'tools', ':', 'call', ''], root(), shell)).to.deep.equal(['calc', 'web'])
    expect(completeInBash(['restack', 'tools', ':', 'call', 'calc', ''], root(), shell)).to.deep.equal(['add', 'countdown', 'evaluate'])
    expect(completeInBash(['restack', 'tools', ':', 'call', 'web', 'ev'], root(), shell)).to.deep.equal(['evaluate'])
  })

  it('doctor checks config/tools.yaml (naming the key and the fix), the commands, and that servers answer', () => {
    const file = join(root(), 'config/tools.yaml')
    const good = readFileSync(file, 'utf8')
    // the tools rules, not the project typecheck (tested above through npm run typecheck)
    const findings = (): Array<{code: string; message: string}> => JSON.parse(runCli(['doctor', '--json'], {cwd: root(), env: {...env, RESTACK_DOCTOR_TYPECHECK: '0'}}).stdout).findings
    // nothing about tools, and nothing about the variables the manager sets itself (MCP_PARENT_STDIN, MCP_INSTANCE_TOKEN)
    expect(findings().filter((finding) => finding.code.startsWith('tools/') || /MCP_/.test(finding.message))).to.deep.equal([])
    try {
      writeFileSync(file, good.replace('    command: node\n', '    command: no-such-program-xyz\n'))
      expect(findings().map((finding) => finding.code)).to.include.members(['tools/command-not-found', 'tools/not-ready'])
      writeFileSync(file, good.replace('    transport: http\n', '    transport: http\n    url: ftp//127.0.0.1:1/mcp\n'))
      const invalid = findings().find((finding) => finding.code === 'tools/config-invalid')
      expect(invalid?.message).to.match(/servers\.web\.url is not a valid http\(s\) URL/)
    } finally {
      writeFileSync(file, good)
    }
  })
})
