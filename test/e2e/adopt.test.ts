import {expect} from 'chai'
import {ChildProcess, spawn} from 'node:child_process'
import {cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {ENTRY_POINTS, RUNTIME_DIR, shimEnv, shimTsconfig} from '../../src/runtime/alias.js'
import {errorText, isOneParagraph, REPO_ROOT, run, runCli} from '../helpers/cli.js'
import {snapshot, tempDir} from '../helpers/fs.js'
import {installProject} from '../helpers/install.js'
import {freePort, waitForPort} from '../helpers/ports.js'
import {assertMatchesSchema} from '../helpers/schema.js'
import {devServerArgs, temporalCliPath} from '../helpers/temporal.js'

/**
 * Fixtures written here in the shapes of Restack's TypeScript examples (restackio/examples-typescript):
 * todo: agent-todo's two services (agentsPath only; workflowsPath on "todo-workflows"), a zod types.ts
 * beside the functions, client.ts reading RESTACK_ENGINE_* with "!"; chat: agents only, no workflows
 * folder; queue-agent: the one service on a queue of its own, its agent calling step({}).
 */
const FIXTURES = join(REPO_ROOT, 'test/fixtures/adopt')
/** @restackio/ai's client as published (names and shapes from the reference), for the generated scripts' type-check. */
const REAL_CLIENT = join(REPO_ROOT, 'test/fixtures/restackio-client/index.d.cts')

interface Case {
  defaultQueue: string
  fixture: string
  /** the queue given to "g workflow --task-queue", and whether a service of the user's already runs workflows there */
  queue: {name: string; users: boolean}
  services: unknown[]
}

const CASES: Case[] = [
  {
    defaultQueue: 'restack',
    fixture: 'todo',
    queue: {name: 'todo-workflows', users: true},
    services: [
      {agentsPath: 'src/agents', functions: ['createTodo']},
      {functions: ['getRandom', 'getResult'], taskQueue: 'todo-workflows', workflowsPath: 'src/workflows'},
    ],
  },
  {defaultQueue: 'restack', fixture: 'chat', queue: {name: 'chat-workflows', users: false}, services: [{agentsPath: 'src/agents', functions: ['llmChat']}]},
  {
    defaultQueue: 'support-agents',
    fixture: 'queue-agent',
    queue: {name: 'nightly', users: false},
    services: [{agentsPath: 'src/agents', functions: ['llmChat'], taskQueue: 'support-agents'}],
  },
]


/** The type-check of the project's code and what the generators added, through the alias (the harness writes tsconfig.bundled-runtime.json). */
const CHECK_CONFIG = 'tsconfig.check.json'

/**
 * Installs the adopted project (all but @restackio/ai, which the alias stands in for), type-checks it (src/, scripts/
 * and test/) and runs its npm test on the shared dev server, the two side by side.
 */
async function passesGeneratedTests(root: string, address: string): Promise<void> {
  await installProject(root, {without: ['@restackio/ai']})
  writeFileSync(
    join(root, CHECK_CONFIG),
    JSON.stringify({
      compilerOptions: {lib: ['ES2022'], noEmit: true, rootDir: '.', target: 'ES2022', types: ['node', 'mocha']},
      extends: './tsconfig.bundled-runtime.json',
      include: ['src/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts'],
    }),
  )
  const [checked, output] = await Promise.all([
    run(join(root, 'node_modules/.bin/tsc'), ['-p', CHECK_CONFIG], {cwd: root}).catch((error: Error) => error.message),
    run('npm', ['test'], {cwd: root, env: {...shimEnv(root), RESTACK_TEST_TEMPORAL_ADDRESS: address}}),
  ])
  expect(checked.trim(), checked).to.equal('')
  for (const name of ['notify', 'agentHelper', 'reportWorkflow']) expect(output, output).to.match(new RegExp(`^\\s+${name}$`, 'm'))
  expect(output).to.match(/\d+ passing/)
  expect(output).not.to.match(/failing|pending/)
}

/** The kit's one workflows module, for the barrels a project has: a module that re-exports a missing barrel fails the bundle. */
const kitWorkflows = (root: string): string =>
  [
    '// Every agent and workflow of this project as one module: a Temporal worker loads a single workflows module.\n',
    existsSync(join(root, 'src/agents/index.ts')) ? 'export * from "../../src/agents";\n' : '',
    existsSync(join(root, 'src/workflows/index.ts')) ? 'export * from "../../src/workflows";\n' : '',
  ].join('')

describe('restack init: adopting a Restack project', function () {
  this.timeout(600_000)
  let dir: ReturnType<typeof tempDir>
  let engine: string
  before(async () => {
    dir = tempDir('restack-adopt-')
    engine = `127.0.0.1:${await freePort()}` // nothing answers there
  })

  // One Temporal dev server for every generated test run here (RESTACK_TEST_TEMPORAL_ADDRESS): each run has an engine id
  // of its own, so runs never meet; started on first use, stopped after the last test.
  let server: ChildProcess | undefined
  let serverAddress: Promise<string | undefined> | undefined
  const devServer = (): Promise<string | undefined> =>
    (serverAddress ??= (async () => {
      const temporal = temporalCliPath()
      if (!temporal) return undefined
      const [port, uiPort] = [await freePort(), await freePort()]
      server = spawn(temporal, devServerArgs(port, uiPort, ['--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=40']), {cwd: dir.path, stdio: 'ignore'})
      await waitForPort(port, 30_000)
      return `127.0.0.1:${port}`
    })())
  after(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve))
      server.kill('SIGTERM')
      await exited
    }

    dir?.cleanup()
  })

  const copy = (fixture: string, as = fixture): string => {
    const root = join(dir.path, as)
    cpSync(join(FIXTURES, fixture), root, {recursive: true})
    return root
  }

  const json = (root: string, ...args: string[]) => {
    const result = runCli([...args, '--json'], {cwd: root, env: {RESTACK_DOCTOR_TYPECHECK: '0', RESTACK_ENGINE_ADDRESS: engine}})
    return {...result, json: result.stdout.trim() === '' ? undefined : JSON.parse(result.stdout)}
  }

  const ok = (root: string, ...args: string[]) => {
    const result = runCli(args, {cwd: root})
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`)
    return result
  }

  // The harness of the restackio mode: @restackio/ai cannot be installed here, so the bundled runtime of a
  // "restack new --runtime restackio" project stands in for it (its dependencies too), mapped by the alias.
  let standinDir: string | undefined
  const standin = (): string => {
    if (standinDir) return standinDir
    const parent = join(dir.path, 'standin-parent')
    mkdirSync(parent)
    ok(parent, 'new', 'standin', '--runtime', 'restackio', '--skip-install', '--skip-git')
    standinDir = join(parent, 'standin')
    return standinDir
  }

  for (const {defaultQueue, fixture, queue, services} of CASES) {
    describe(`the ${fixture} fixture`, () => {
      let root: string
      let original: Record<string, string>
      let adopted: Record<string, string>
      before(() => {
        root = copy(fixture)
        original = snapshot(root)
      })

      it('init --dry-run prints the plan and writes nothing', () => {
        const dry = json(root, 'init', '--dry-run')
        expect(dry.status).to.equal(0)
        assertMatchesSchema('init-result', dry.json)
        expect(dry.json.files.map(({action, path}: {action: string; path: string}) => ({action, path}))).to.deep.equal([
          {action: 'create', path: 'restack.yaml'},
          {action: 'create', path: 'AGENTS.md'},
          {action: 'create', path: '.mcp.json'},
        ])
        expect(snapshot(root)).to.deep.equal(original)
      })

      it('init writes restack.yaml with what it detects, AGENTS.md and .mcp.json as ours, records every file as the user\'s, and changes nothing else', () => {
        const init = json(root, 'init')
        expect(init.status, init.stderr).to.equal(0)
        assertMatchesSchema('init-result', init.json)
        expect(init.json).to.deep.include({defaultQueue, runtime: 'restackio', services})
        const after = snapshot(root)
        const added = Object.keys(after).filter((path) => !(path in original)).sort()
        expect(added).to.deep.equal(['.mcp.json', '.restack/', '.restack/ledger.json', 'AGENTS.md', 'restack.yaml'])
        for (const [path, hash] of Object.entries(original)) expect(after[path], path).to.equal(hash)

        const config = readFileSync(join(root, 'restack.yaml'), 'utf8')
        expect(config).to.match(/^restack: 1$/m).and.match(/^runtime: restackio$/m).and.match(new RegExp(`^  taskQueue: ${defaultQueue}$`, 'm'))
        const ledger = JSON.parse(readFileSync(join(root, '.restack/ledger.json'), 'utf8'))
        const files = Object.keys(original).filter((path) => !path.endsWith('/'))
        expect(init.json.adopted).to.equal(files.length)
        for (const path of files) expect(ledger.files[path]?.by, path).to.equal('adopted')
        for (const path of ['AGENTS.md', '.mcp.json', 'restack.yaml']) expect(ledger.files[path]?.by, path).to.equal('init')
        expect(readFileSync(join(root, 'AGENTS.md'), 'utf8')).to.include('restack g')
        expect(JSON.parse(readFileSync(join(root, '.mcp.json'), 'utf8')).mcpServers).to.have.property('restack')
        adopted = snapshot(root)
      })

      it('doctor reports nothing about the example\'s shapes (only what this machine lacks: node_modules and an engine)', () => {
        const doctor = json(root, 'doctor')
        assertMatchesSchema('doctor-result', doctor.json)
        // @restackio/ai cannot be installed here, and no engine runs at the address: those two are true findings.
        const codes = doctor.json.findings.map((finding: {code: string}) => finding.code).sort()
        expect(codes, JSON.stringify(doctor.json.findings, null, 2)).to.deep.equal(['dependencies/not-installed', 'engine/unreachable'])
      })

      it('init refuses to adopt it again, naming restack.yaml, and writes nothing', () => {
        const again = runCli(['init'], {cwd: root})
        expect(again.status).to.equal(1)
        expect(errorText(again.stderr)).to.match(/is already a restack project \(it has restack\.yaml\)/)
        expect(isOneParagraph(errorText(again.stderr))).to.equal(true)
        expect(snapshot(root)).to.deep.equal(adopted)
      })

      it('grows with g function, g agent, g workflow (default queue and --task-queue), lists them, and d returns every byte', () => {
        ok(root, 'g', 'function', 'Notify')
        ok(root, 'g', 'agent', 'Helper')
        ok(root, 'g', 'workflow', 'Report', '--task-queue', queue.name)
        ok(root, 'g', 'workflow', 'Nightly')
        const servicesTs = readFileSync(join(root, 'src/services.ts'), 'utf8')
        expect(servicesTs).to.match(/functions: \{[^}]*\bnotify\b/)
        // a worker runs the workflows on the queue the run script schedules on
        if (!queue.users) expect(servicesTs).to.match(new RegExp(`client\\.startService\\(\\{\\n\\s+workflowsPath: require\\.resolve\\("\\./workflows"\\),\\n\\s+taskQueue: "${queue.name}",\\n\\s+\\}\\)`))
        expect(readFileSync(join(root, 'scripts/run-report.ts'), 'utf8')).to.include(`taskQueue: "${queue.name}"`)
        expect(readFileSync(join(root, 'scripts/run-nightly.ts'), 'utf8')).not.to.include('taskQueue')
        expect(readFileSync(join(root, 'src/workflows/index.ts'), 'utf8')).to.match(/export \* from "\.\/report";\nexport \* from "\.\/nightly";\n$/)

        const list = json(root, 'list')
        assertMatchesSchema('list-result', list.json)
        const names = JSON.stringify(list.json)
        for (const name of ['notify', 'helper', 'report', 'nightly']) expect(names).to.include(`"${name}"`)
        expect(names).not.to.include('"types"') // the zod schemas module is not a function

        const doctor = json(root, 'doctor')
        expect(doctor.json.findings.map((finding: {code: string}) => finding.code).sort()).to.deep.equal(['dependencies/not-installed', 'engine/unreachable'])

        ok(root, 'd', 'workflow', 'Nightly')
        ok(root, 'd', 'workflow', 'Report')
        ok(root, 'd', 'agent', 'Helper')
        ok(root, 'd', 'function', 'Notify')
        expect(snapshot(root)).to.deep.equal(adopted)
      })

      it('destroy never deletes a file of the user\'s as if generated', () => {
        const agent = readFileSync(join(root, 'src/agents/index.ts'), 'utf8').match(/"\.\/(\w+)"/)![1]
        const result = runCli(['d', 'agent', agent], {cwd: root})
        expect(result.status).to.equal(1)
        expect(errorText(result.stderr)).to.match(new RegExp(`would delete "src/agents/${agent}\\.ts"`))
        expect(snapshot(root)).to.deep.equal(adopted)
      })

      it('in restackio mode, the generated tests pass on the dev server with the test kit the generators added, in the project\'s shape; d takes the kit back', async function () {
        const address = await devServer()
        if (!address) this.skip()
        const tests = copy(fixture, `${fixture}-restackio`)
        ok(tests, 'init')
        const before = snapshot(tests)
        ok(tests, 'g', 'function', 'Notify')
        for (const file of ['test/helpers/temporal.ts', 'test/helpers/bundle.ts', 'test/helpers/workflows.ts', 'test/helpers/queues.ts', '.mocharc.json']) expect(existsSync(join(tests, file)), file).to.equal(true)
        expect(readFileSync(join(tests, 'test/helpers/workflows.ts'), 'utf8')).to.equal(kitWorkflows(tests))
        ok(tests, 'g', 'agent', 'Helper')
        ok(tests, 'g', 'workflow', 'Report', '--task-queue', queue.name)
        // the kit's workflows module follows the barrels: an agents-only project gains src/workflows with its first workflow
        expect(readFileSync(join(tests, 'test/helpers/workflows.ts'), 'utf8')).to.equal(kitWorkflows(tests)).and.to.include('src/workflows')
        const pkgText = readFileSync(join(tests, 'package.json'), 'utf8')
        const pkg = JSON.parse(pkgText)
        expect(pkg.scripts.test).to.equal('mocha')
        expect(Object.keys(pkg.devDependencies)).to.include.members(['@temporalio/testing', 'chai', 'mocha', '@types/mocha', '@types/chai'])
        expect(pkg.devDependencies.tsx).to.equal('4.19.4') // the user's own version stays

        const fresh = standin()
        cpSync(join(fresh, RUNTIME_DIR), join(tests, RUNTIME_DIR), {recursive: true})
        const standinPkg = JSON.parse(readFileSync(join(fresh, 'package.json'), 'utf8'))
        writeFileSync(join(tests, 'package.json'), JSON.stringify({...pkg, dependencies: {...standinPkg.dependencies, ...pkg.dependencies}}, null, 2) + '\n')
        writeFileSync(join(tests, 'tsconfig.bundled-runtime.json'), shimTsconfig(RUNTIME_DIR, './tsconfig.json'))
        await passesGeneratedTests(tests, address!)

        // take the harness away again, then destroy everything: the kit leaves with the last test
        writeFileSync(join(tests, 'package.json'), pkgText)
        for (const path of [RUNTIME_DIR, 'tsconfig.bundled-runtime.json', CHECK_CONFIG, 'node_modules', 'package-lock.json']) rmSync(join(tests, path), {force: true, recursive: true})
        ok(tests, 'd', 'workflow', 'Report')
        expect(readFileSync(join(tests, 'test/helpers/workflows.ts'), 'utf8')).to.equal(kitWorkflows(tests))
        ok(tests, 'd', 'agent', 'Helper')
        expect(existsSync(join(tests, 'test/helpers/temporal.ts'))).to.equal(true) // the function's test still uses it
        ok(tests, 'd', 'function', 'Notify')
        expect(snapshot(tests)).to.deep.equal(before)
      })

      it('in bundled mode (init --runtime bundled writes src/restack/ and its Temporal packages), the generated tests pass on the dev server; d returns the init bytes', async function () {
        const address = await devServer()
        if (!address) this.skip()
        const tests = copy(fixture, `${fixture}-bundled`)
        const init = json(tests, 'init', '--runtime', 'bundled')
        expect(init.status, init.stderr).to.equal(0)
        expect(init.json.runtime).to.equal('bundled')
        const created = init.json.files.filter((file: {action: string}) => file.action === 'create').map((file: {path: string}) => file.path)
        expect(created).to.include.members([`${RUNTIME_DIR}/index.ts`, `${RUNTIME_DIR}/agent.ts`, `${RUNTIME_DIR}/workflow.ts`, `${RUNTIME_DIR}/function.ts`])
        const initPkg = JSON.parse(readFileSync(join(tests, 'package.json'), 'utf8'))
        expect(Object.keys(initPkg.dependencies)).to.include.members(['@restackio/ai', '@temporalio/client', '@temporalio/worker', '@temporalio/workflow'])
        const doctor = json(tests, 'doctor')
        expect(doctor.json.findings.map((finding: {code: string}) => finding.code).sort(), JSON.stringify(doctor.json.findings, null, 2)).to.deep.equal(['dependencies/not-installed', 'engine/unreachable'])
        const before = snapshot(tests)
        ok(tests, 'g', 'function', 'Notify')
        ok(tests, 'g', 'agent', 'Helper')
        ok(tests, 'g', 'workflow', 'Report', '--task-queue', queue.name)
        const list = json(tests, 'list')
        for (const name of ['notify', 'helper', 'report']) expect(JSON.stringify(list.json)).to.include(`"${name}"`)
        for (const file of ['src/agents/helper.ts', 'src/workflows/report.ts', 'test/functions/notify.test.ts', 'scripts/event-helper.ts']) expect(readFileSync(join(tests, file), 'utf8'), file).not.to.match(/["']@restackio\/ai/)
        expect(readFileSync(join(tests, 'src/agents/helper.ts'), 'utf8')).to.match(/from "\.\.\/restack\//)
        expect(readFileSync(join(tests, 'test/helpers/workflows.ts'), 'utf8')).to.equal(kitWorkflows(tests))

        // The harness: the example's own code still imports @restackio/ai, which cannot be installed here; the alias maps it
        // onto the bundled runtime init wrote. The generated code and the kit import src/restack/ directly.
        const pkgText = readFileSync(join(tests, 'package.json'), 'utf8')
        writeFileSync(join(tests, 'tsconfig.bundled-runtime.json'), shimTsconfig(RUNTIME_DIR, './tsconfig.json'))
        await passesGeneratedTests(tests, address!)

        writeFileSync(join(tests, 'package.json'), pkgText)
        for (const path of ['tsconfig.bundled-runtime.json', CHECK_CONFIG, 'node_modules', 'package-lock.json']) rmSync(join(tests, path), {force: true, recursive: true})
        ok(tests, 'd', 'workflow', 'Report')
        ok(tests, 'd', 'agent', 'Helper')
        ok(tests, 'd', 'function', 'Notify')
        expect(snapshot(tests)).to.deep.equal(before)
      })
    })
  }

  it('g workflow on a queue of its own in an agents-only project adds the workflows barrel and a service there; d takes both back', () => {
    const root = copy('chat', 'chat-queues')
    ok(root, 'init')
    const adopted = snapshot(root)
    ok(root, 'g', 'workflow', 'Digest', '--task-queue', 'digests')
    ok(root, 'g', 'workflow', 'Weekly', '--task-queue', 'digests')
    ok(root, 'g', 'agent', 'Triage', '--task-queue', 'triage')
    const servicesTs = readFileSync(join(root, 'src/services.ts'), 'utf8')
    expect(servicesTs.match(/taskQueue: "digests"/g)).to.have.length(1)
    expect(servicesTs).to.include('agentsPath: require.resolve("./agents"),\n        taskQueue: "triage",')
    expect(readFileSync(join(root, 'scripts/schedule-triage.ts'), 'utf8')).to.include('taskQueue: "triage"')
    ok(root, 'd', 'workflow', 'Digest')
    expect(readFileSync(join(root, 'src/services.ts'), 'utf8')).to.include('taskQueue: "digests"') // Weekly still runs there
    ok(root, 'd', 'workflow', 'Weekly')
    ok(root, 'd', 'agent', 'Triage')
    expect(existsSync(join(root, 'src/workflows'))).to.equal(false)
    expect(snapshot(root)).to.deep.equal(adopted)
  })

  it('restack runtime refuses a project whose files import both runtimes, naming them, and writes nothing; "restack runtime <its own>" puts every file on one, and then there and back gives every byte', () => {
    const root = copy('todo', 'todo-mixed')
    ok(root, 'init', '--runtime', 'bundled')
    ok(root, 'g', 'agent', 'Helper') // generated code imports src/restack/; the example's own code, @restackio/ai
    const mixed = snapshot(root)
    for (const args of [['runtime', 'restackio'], ['runtime', 'restackio', '--dry-run']]) {
      const refused = runCli(args, {cwd: root})
      expect(refused.status, args.join(' ')).to.equal(1)
      const text = errorText(refused.stderr)
      expect(isOneParagraph(text), text).to.equal(true)
      expect(text).to.match(/both ways: src\/agents\/agent\.ts, src\/client\.ts, .*src\/workflows\/executeTodo\.ts import @restackio\/ai, while src\/agents\/helper\.ts(, test\/\S+)* import the bundled runtime \(src\/restack\/\)/)
      expect(text).to.include('"restack runtime bundled"').and.include('nothing was written')
      expect(snapshot(root), args.join(' ')).to.deep.equal(mixed)
    }

    ok(root, 'runtime', 'bundled')
    for (const file of ['src/client.ts', 'src/agents/agent.ts', 'src/workflows/executeTodo.ts']) expect(readFileSync(join(root, file), 'utf8'), file).not.to.include('@restackio/ai')
    const unified = snapshot(root)
    ok(root, 'runtime', 'restackio')
    expect(readFileSync(join(root, 'src/agents/helper.ts'), 'utf8')).to.include('"@restackio/ai/agent"')
    ok(root, 'runtime', 'bundled')
    expect(snapshot(root)).to.deep.equal(unified)
  })

  it('init keeps an AGENTS.md of the user\'s as it is, and --no-mcp-json / --no-agents-md write neither file', () => {
    const root = copy('chat', 'chat-agents-md')
    writeFileSync(join(root, 'AGENTS.md'), '# our own notes\n')
    const init = json(root, 'init', '--no-mcp-json')
    expect(init.status, init.stderr).to.equal(0)
    expect(init.json.files).to.deep.equal([{action: 'create', path: 'restack.yaml'}])
    expect(readFileSync(join(root, 'AGENTS.md'), 'utf8')).to.equal('# our own notes\n')
    expect(existsSync(join(root, '.mcp.json'))).to.equal(false)
    expect(JSON.parse(readFileSync(join(root, '.restack/ledger.json'), 'utf8')).files['AGENTS.md'].by).to.equal('adopted')

    const bare = copy('chat', 'chat-bare')
    const quiet = json(bare, 'init', '--no-agents-md', '--no-mcp-json')
    expect(quiet.status, quiet.stderr).to.equal(0)
    expect(quiet.json.files).to.deep.equal([{action: 'create', path: 'restack.yaml'}])
    expect(existsSync(join(bare, 'AGENTS.md'))).to.equal(false)
  })

  it('refuses what is not a Restack project, naming what is missing, and writes nothing', () => {
    const cases: Array<[string, Record<string, string>, RegExp]> = [
      ['empty', {}, /is not a Restack TypeScript project: it has no package\.json/],
      ['no-services', {'package.json': '{"name":"x"}'}, /it has no src\/services\.ts/],
      ['no-start', {'package.json': '{"name":"x"}', 'src/services.ts': 'export const x = 1;\n'}, /src\/services\.ts has no startService\(\{\.\.\.\}\) call/],
      ['bad-json', {'package.json': '{"name":', 'src/services.ts': 'client.startService({});\n'}, /package\.json in .* is not valid JSON/],
      [
        'computed-paths',
        {'package.json': '{"name":"x"}', 'src/services.ts': 'const base = process.env.APP_DIR!;\nclient.startService({\n  agentsPath: path.join(base, "agents"),\n  taskQueue: queueName(),\n});\n'},
        /cannot tell from src\/services\.ts which folder and which task queue a startService uses: agentsPath: path\.join\(base, "agents"\) \(line 3\); taskQueue: queueName\(\) \(line 4\)\. .*require\.resolve\("\.\/agents"\).*taskQueue: "todo-workflows"/,
      ],
    ]
    for (const [name, files, message] of cases) {
      const root = join(dir.path, name)
      for (const [path, content] of Object.entries({...files, '.keep': ''})) {
        mkdirSync(join(root, path, '..'), {recursive: true})
        writeFileSync(join(root, path), content)
      }

      const before = snapshot(root)
      const result = runCli(['init'], {cwd: root})
      expect(result.status, name).to.equal(1)
      expect(errorText(result.stderr), name).to.match(message)
      expect(isOneParagraph(errorText(result.stderr))).to.equal(true)
      expect(snapshot(root), name).to.deep.equal(before)
    }
  })

  it('restack new refuses a directory that holds a project and points at init; --force lists every file it replaces first', () => {
    const parent = join(dir.path, 'new-over')
    mkdirSync(parent)
    cpSync(join(FIXTURES, 'todo'), join(parent, 'todo'), {recursive: true})
    const before = snapshot(parent)
    const refused = runCli(['new', 'todo', '--skip-install', '--skip-git'], {cwd: parent})
    expect(refused.status).to.equal(1)
    expect(errorText(refused.stderr)).to.match(/already holds a project \(package\.json, src\/services\.ts\).*run "restack init" in it/)
    expect(snapshot(parent)).to.deep.equal(before)

    const forced = runCli(['new', 'todo', '--skip-install', '--skip-git', '--force'], {cwd: parent})
    expect(forced.status, forced.stderr).to.equal(0)
    const replaced = [...forced.stderr.matchAll(/^replacing (\S+)$/gm)].map((match) => match[1]).sort()
    expect(replaced).to.deep.equal(['.env.example', 'package.json', 'src/agents/index.ts', 'src/client.ts', 'src/functions/index.ts', 'src/services.ts', 'src/workflows/index.ts', 'tsconfig.json'])
  })

  it('in restackio mode, the code that uses the client (scripts, the test kit, the generated tests) type-checks with @restackio/ai\'s published client, and the shapes it lacks do not', async () => {
    // @restackio/ai cannot be installed here: as in runtime.test.ts, the bundled runtime of a "restack new --runtime restackio"
    // project stands in for its other entry points, mapped by tsconfig paths; the client is a declaration of the published
    // one. The stand-in, the install and the check config are this test's harness; what is checked is what the generators wrote.
    const root = copy('todo', 'todo-compiles')
    ok(root, 'init')
    ok(root, 'g', 'function', 'Notify')
    ok(root, 'g', 'agent', 'Helper')
    ok(root, 'g', 'workflow', 'Report', '--task-queue', 'todo-workflows')
    ok(root, 'g', 'workflow', 'Nightly', '--task-queue', 'nightly')
    const generated = ['src/functions/notify.ts', 'src/agents/helper.ts', 'src/workflows/report.ts', 'src/workflows/nightly.ts', 'scripts/run-report.ts', 'scripts/schedule-helper.ts', 'scripts/event-helper.ts']
    for (const file of generated) expect(readFileSync(join(root, file), 'utf8'), file).not.to.match(/from "\.\.?\/(\.\.\/)*(src\/)?restack\//)

    const fresh = standin()
    cpSync(join(fresh, RUNTIME_DIR), join(root, RUNTIME_DIR), {recursive: true})
    const standinPkg = JSON.parse(readFileSync(join(fresh, 'package.json'), 'utf8'))
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
    // the same dependencies as the todo fixture's restackio test run below: one cached install
    writeFileSync(join(root, 'package.json'), JSON.stringify({...pkg, dependencies: {...standinPkg.dependencies, ...pkg.dependencies}}, null, 2) + '\n')
    await installProject(root, {without: ['@restackio/ai']})
    // (the whole project through the alias is type-checked in each fixture's test runs below)

    // The code that uses the client (scripts, the test kit, the generated tests) against @restackio/ai's client as Restack
    // publishes it, not the bundled runtime (a superset): an option the real client does not take (sendAgentEvent's
    // waitForCompletion, a result's timeout) or a call it lacks (getAgentState) fails here. The other entry points stay on the stand-in.
    const paths = Object.fromEntries(ENTRY_POINTS.filter(({module}) => module !== 'index').map(({module, specifier}) => [specifier, [`./${RUNTIME_DIR}/${module}.ts`]]))
    writeFileSync(
      join(root, 'tsconfig.real-client.json'),
      JSON.stringify({
        compilerOptions: {lib: ['ES2022'], noEmit: true, paths: {...paths, '@restackio/ai': [REAL_CLIENT]}, rootDir: '.', target: 'ES2022', types: ['node', 'mocha']},
        extends: './tsconfig.json',
        include: ['src/client.ts', 'scripts/**/*.ts', 'test/**/*.ts'],
      }),
    )
    const real = await run(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.real-client.json'], {cwd: root}).catch((error: Error) => error.message)
    expect(real.trim(), real).to.equal('')
    // and the check itself bites: the shape the scripts had before fails it
    const script = join(root, 'scripts/event-helper.ts')
    writeFileSync(script, readFileSync(script, 'utf8').replace('agent: { agentId } }', 'agent: { agentId }, waitForCompletion: true }'))
    const test = join(root, 'test/agents/helper.test.ts')
    const query = 'engine.env.client.workflow.getHandle(engine.workflowId(agentId)).query("history")'
    expect(readFileSync(test, 'utf8')).to.include(query)
    writeFileSync(test, readFileSync(test, 'utf8').replace(query, 'engine.client.getAgentState({ agentId, stateName: "history" })'))
    const old = await run(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.real-client.json'], {cwd: root}).catch((error: Error) => error.message)
    expect(old).to.match(/scripts\/event-helper\.ts.*'waitForCompletion' does not exist/)
    expect(old).to.match(/test\/agents\/helper\.test\.ts.*Property 'getAgentState' does not exist/)
  })
})
