import {expect} from 'chai'
import {ChildProcess, spawn} from 'node:child_process'
import {closeSync, createWriteStream, openSync, readSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {runCli} from '../helpers/cli.js'
import {tempDir} from '../helpers/fs.js'
import {installProject} from '../helpers/install.js'
import {freePort, waitForPort} from '../helpers/ports.js'
import {devServerArgs, temporalCliPath} from '../helpers/temporal.js'

/*
 * Load and faults on one generated project: three service processes (`node dist/services.js`, the
 * image's command) on one Temporal dev server. Agents get 5 events each; every event runs the
 * function `record`, which logs its start and end to a file and works for WORK_MS. Throughput is
 * measured with 1, 2 and 3 workers; then, under load, one worker is killed with SIGKILL and another
 * stopped with SIGTERM.
 * Counts: THROUGHPUT_AGENTS per throughput phase and FAULT_AGENTS in the fault phase, smaller than the
 * 1,000 agents issue 18 asked for, because 1,000 did not fit 5 minutes here: on the shared 2-core
 * machine (load average ~20) one event took ~0.25 s end to end and 20 agents x 5 events took ~30 s per
 * phase, so 5,000 events would take ~25 minutes. RESTACK_SCALE_AGENTS=<n> sets both counts (e.g. 1000
 * on a quiet machine).
 * Each worker runs at most FUNCTION_SLOTS function calls at a time (RESTACK_MAX_CONCURRENT_FUNCTION_RUNS),
 * so a worker's capacity is bounded and adding workers adds capacity, as on separate machines.
 */
const QUICK = Number(process.env.RESTACK_SCALE_AGENTS) || undefined
const THROUGHPUT_AGENTS = QUICK ?? 30
const FAULT_AGENTS = QUICK ?? 60
const EVENTS = 5
const WORK_MS = 150
const FUNCTION_SLOTS = 10
const DRIVER_CONCURRENCY = 100
const SHUTDOWN_DELAY_MS = 2000 // room for a probe or two on a loaded machine
// The agent's step timeout: how long a call on a dead worker waits before it is retried elsewhere.
const STEP_TIMEOUT = '5 seconds'

const AGENT = `import type * as functions from "../functions";
import { allHandlersFinished, condition, defineEvent, onEvent, step } from "../restack/agent";

const workEvent = defineEvent<unknown>("work");
const endEvent = defineEvent("end");

export async function agentLoad(): Promise<{ results: unknown[] }> {
  const results: unknown[] = [];
  let ended = false;
  onEvent(workEvent, async ({ agent, event }: { agent: string; event: number }) => {
    const result = await step<typeof functions>({ startToCloseTimeout: "${STEP_TIMEOUT}", retry: { initialInterval: "200 milliseconds" } }).record({ agent, event });
    results.push(result);
    return result;
  });
  onEvent(endEvent, async () => {
    ended = true;
  });
  await condition(() => ended);
  await condition(allHandlersFinished);
  return { results };
}
`

const FUNCTION = `import { appendFileSync } from "node:fs";
import { functionInfo } from "../restack/function";

export interface RecordInput { agent: string; event: number }
export interface RecordOutput { agent: string; event: number; pid: number; attempt: number; activityId: string }

/** Logs its start and end (one line each) and works for LOAD_WORK_MS in between, ignoring cancellation like real work would. */
export const record = async ({ agent, event }: RecordInput): Promise<RecordOutput> => {
  const info = functionInfo();
  const line = { wf: info.workflowExecution?.workflowId, id: info.activityId, attempt: info.attempt, pid: process.pid, agent, event };
  appendFileSync(process.env.LOAD_RECORD_FILE!, JSON.stringify({ ...line, phase: "start", t: Date.now() }) + "\\n");
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.LOAD_WORK_MS)));
  appendFileSync(process.env.LOAD_RECORD_FILE!, JSON.stringify({ ...line, phase: "done", t: Date.now() }) + "\\n");
  return { agent, event, pid: process.pid, attempt: info.attempt, activityId: info.activityId };
};
`

// Schedules <count> agents named <prefix>-<i>, <concurrency> at a time; sends each its events one by
// one (waiting for each handler), then "end"; writes each agent's final result as a line of <out>.
const DRIVER = `import { appendFileSync } from "node:fs";
import { client } from "../src/client";

const [prefix, count, concurrency, out] = process.argv.slice(2);
let refused = 0;
// The engine refuses an event (it was never admitted, so a retry cannot run it twice) while the
// agent's last workflow task failed or timed out, as on a dead or starved worker: try again.
async function send(agentId: string, name: string, input?: unknown): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.sendAgentEvent({ agent: { agentId }, event: { name, input }, waitForCompletion: true });
      return;
    } catch (error) {
      if (attempt >= 60 || !/Workflow Task in failed state/.test(String((error as Error)?.cause ?? error))) throw error;
      refused++;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
async function one(i: number): Promise<void> {
  const agentId = \`\${prefix}-\${i}\`;
  await client.scheduleAgent({ agentName: "agentLoad", agentId });
  for (let event = 0; event < ${EVENTS}; event++) await send(agentId, "work", { agent: agentId, event });
  await send(agentId, "end");
  const final = await client.getAgentResult({ agentId });
  appendFileSync(out, JSON.stringify({ agentId, final }) + "\\n");
}
async function main(): Promise<void> {
  let next = 0;
  const started = Date.now();
  await Promise.all(Array.from({ length: Number(concurrency) }, async () => {
    while (next < Number(count)) await one(next++);
  }));
  console.log(JSON.stringify({ ms: Date.now() - started, refused }));
  await client.close();
}
main().catch((error) => { console.error(error); process.exit(1); });
`

interface Line {
  agent: string
  attempt: number
  event: number
  id: string
  phase: 'done' | 'start'
  pid: number
  t: number
  wf: string
}

/** Reads the lines appended to a file since the last call. */
function tail(path: string): () => string[] {
  let offset = 0
  let rest = ''
  return () => {
    const fd = openSync(path, 'a+')
    const chunks: Buffer[] = []
    const buffer = Buffer.alloc(1 << 20)
    for (let n; (n = readSync(fd, buffer, 0, buffer.length, offset)) > 0; offset += n) chunks.push(Buffer.from(buffer.subarray(0, n)))
    closeSync(fd)
    const text = rest + Buffer.concat(chunks).toString('utf8')
    const lines = text.split('\n')
    rest = lines.pop()!
    return lines.filter(Boolean)
  }
}

const exited = (child: ChildProcess): Promise<{code: null | number; signal: NodeJS.Signals | null}> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve({code: child.exitCode, signal: child.signalCode})
    : new Promise((resolve) => child.once('exit', (code, signal) => resolve({code, signal})))

const began = Date.now()
const progress = (text: string) => process.stderr.write(`      [${((Date.now() - began) / 1000).toFixed(1)} s] ${text}\n`)
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function until(what: string, ms: number, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await delay(20)
  }
}

interface Probe {
  body?: {status: string; workers: {state: string}[]}
  code?: number
  refused?: true
  t: number
}

async function probe(port: number): Promise<Probe> {
  const t = Date.now()
  try {
    const response = await fetch(`http://127.0.0.1:${port}/readyz`, {signal: AbortSignal.timeout(2000)})
    return {body: (await response.json()) as Probe["body"], code: response.status, t}
  } catch {
    return {refused: true, t}
  }
}

describe('a generated service under load and faults (3 workers, 1 dev server)', function () {
  this.timeout(600_000)
  const temporal = temporalCliPath()
  let dir: ReturnType<typeof tempDir>
  let root: string
  let server: ChildProcess | undefined
  const services: {child: ChildProcess; health: number; log: string[]}[] = []
  let address: string
  let records: string
  let readRecords: () => string[]
  const lines: Line[] = []

  before(async function () {
    if (!temporal) this.skip()
    dir = tempDir('restack-scale-')
    const steps = [
      ['new', 'load', '--skip-install', '--skip-git'],
      ['g', 'agent', 'Load', '--events', 'work'],
      ['g', 'function', 'Record'],
    ]
    for (const [index, args] of steps.entries()) {
      const result = runCli(args, {cwd: index === 0 ? dir.path : join(dir.path, 'load')})
      expect(result.status, `${args.join(' ')}: ${result.stderr}`).to.equal(0)
    }

    root = join(dir.path, 'load')
    writeFileSync(join(root, 'src/agents/load.ts'), AGENT)
    writeFileSync(join(root, 'src/functions/record.ts'), FUNCTION)
    writeFileSync(join(root, 'scripts/load.ts'), DRIVER)
    await installProject(root)
    const build = spawn('npm', ['run', 'build'], {cwd: root, stdio: ['ignore', 'pipe', 'pipe']})
    let buildOutput = ''
    build.stdout!.on('data', (chunk) => (buildOutput += chunk))
    build.stderr!.on('data', (chunk) => (buildOutput += chunk))
    expect((await exited(build)).code, buildOutput).to.equal(0)

    records = join(dir.path, 'records.jsonl')
    writeFileSync(records, '')
    readRecords = tail(records)
    const [port, uiPort] = [await freePort(), await freePort()]
    server = spawn(temporal!, devServerArgs(port, uiPort), {cwd: dir.path, stdio: 'ignore'})
    address = `127.0.0.1:${port}`
    await waitForPort(port, 30_000)
  })

  after(async () => {
    for (const {child} of services) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL')
        await exited(child)
      }
    }

    if (server) {
      server.kill('SIGTERM')
      await exited(server)
    }

    if (process.env.RESTACK_SCALE_KEEP) progress(`kept ${dir.path}`)
    else dir?.cleanup()
  })

  async function startService(): Promise<(typeof services)[number]> {
    const health = await freePort()
    const child = spawn(process.execPath, ['dist/services.js'], {
      cwd: root,
      env: {
        ...process.env,
        LOAD_RECORD_FILE: records,
        LOAD_WORK_MS: String(WORK_MS),
        RESTACK_ENGINE_ADDRESS: address,
        RESTACK_HEALTH_PORT: String(health),
        RESTACK_MAX_CONCURRENT_FUNCTION_RUNS: String(FUNCTION_SLOTS),
        RESTACK_SHUTDOWN_DELAY: `${SHUTDOWN_DELAY_MS}ms`,
        RESTACK_SHUTDOWN_GRACE_TIME: '20s',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const entry = {child, health, log: [] as string[]}
    const keep = (chunk: Buffer) => {
      // Temporal's own logs are long: keep the service's lines (and errors), with the time they arrived.
      for (const text of chunk.toString('utf8').split('\n')) if (/^(Received|Stopping|All workers|Health|Failed|Service on)|Error/.test(text)) entry.log.push(`${Date.now()} ${text}`)
    }

    const full = createWriteStream(join(dir.path, `service-${services.length + 1}.log`))
    child.stdout!.on('data', keep)
    child.stderr!.on('data', keep)
    child.stdout!.pipe(full)
    child.stderr!.pipe(full)
    services.push(entry)
    await until(`service ${services.length} to be ready`, 90_000, async () => {
      expect(child.exitCode, entry.log.join('\n')).to.equal(null)
      return (await probe(health)).code === 200
    })
    return entry
  }

  function collect(): Line[] {
    const fresh = readRecords().map((text) => JSON.parse(text) as Line)
    lines.push(...fresh)
    return lines
  }

  function driver(prefix: string, count: number): {done: Promise<{ms: number; refused: number}>} {
    const child = spawn(join(root, 'node_modules/.bin/tsx'), ['scripts/load.ts', prefix, String(count), String(DRIVER_CONCURRENCY), join(dir.path, `${prefix}.jsonl`)], {
      cwd: root,
      env: {...process.env, RESTACK_ENGINE_ADDRESS: address},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout!.on('data', (chunk) => (output += chunk))
    child.stderr!.on('data', (chunk) => (output += chunk))
    return {
      done: exited(child).then(({code}) => {
        expect(code, output).to.equal(0)
        return JSON.parse(output.trim().split('\n').pop()!) as {ms: number; refused: number}
      }),
    }
  }

  /** Every agent of a phase ended with exactly its 5 results, each from a call the file shows finished. */
  function verifyPhase(prefix: string, count: number): void {
    const finals = tail(join(dir.path, `${prefix}.jsonl`))().map((text) => JSON.parse(text) as {agentId: string; final: {results: {activityId: string; agent: string; attempt: number; event: number; pid: number}[]}})
    expect(finals.length, `${prefix}: agents that finished`).to.equal(count)
    expect(new Set(finals.map((each) => each.agentId)).size).to.equal(count)
    const done = new Set(collect().filter((line) => line.phase === 'done').map((line) => `${line.wf}/${line.id}/${line.attempt}/${line.pid}`))
    for (const {agentId, final} of finals) {
      expect(final.results.map((result) => [result.agent, result.event]), agentId).to.deep.equal(Array.from({length: EVENTS}, (_, event) => [agentId, event]))
      for (const result of final.results) expect(done.has(`local-${agentId}/${result.activityId}/${result.attempt}/${result.pid}`), `${agentId} event ${result.event}: its call is in the record`).to.equal(true)
    }

    // No call lost: every scheduled call of the phase finished at least once.
    const calls = new Set(lines.filter((line) => line.phase === 'done' && line.agent.startsWith(`${prefix}-`)).map((line) => `${line.agent}/${line.event}`))
    expect(calls.size, `${prefix}: distinct calls that finished`).to.equal(count * EVENTS)
  }

  it('every agent ends with its 5 results at 1, 2 and 3 workers, through a kill -9 and a SIGTERM, and the SIGTERMed worker drains', async () => {
    const figures: string[] = []
    const measure = async (prefix: string, workers: number) => {
      progress(`${prefix}: ${THROUGHPUT_AGENTS} agents on ${workers} worker(s)`)
      const {ms, refused} = await driver(prefix, THROUGHPUT_AGENTS).done
      verifyPhase(prefix, THROUGHPUT_AGENTS)
      figures.push(`${workers} worker(s): ${THROUGHPUT_AGENTS} agents x ${EVENTS} events in ${(ms / 1000).toFixed(1)} s = ${((THROUGHPUT_AGENTS * EVENTS * 1000) / ms).toFixed(0)} events/s (${refused} events refused and sent again)`)
    }

    progress('project built, dev server up')
    const a = await startService()
    await measure('one', 1)
    const b = await startService()
    await measure('two', 2)
    const c = await startService()
    await measure('three', 3)

    // Faults under load: SIGKILL c once a quarter of the calls are done, SIGTERM b at half.
    const run = driver('fault', FAULT_AGENTS)
    const total = FAULT_AGENTS * EVENTS
    const faultDone = () => collect().filter((line) => line.phase === 'done' && line.agent.startsWith('fault-')).length
    const running = (pid: number) => {
      const open = new Map<string, Line>()
      for (const line of collect()) {
        if (line.pid !== pid) continue
        const key = `${line.wf}/${line.id}/${line.attempt}`
        if (line.phase === 'start') open.set(key, line)
        else open.delete(key)
      }

      return open
    }

    await until('a quarter of the fault phase', 240_000, () => faultDone() >= total / 4 && running(c.child.pid!).size >= 3)
    progress('kill -9 c')
    const runningAtKill = running(c.child.pid!)
    const killedAt = Date.now()
    c.child.kill('SIGKILL')
    await exited(c.child)
    // what c was running when it died: started there, and not finished there before the kill
    const lost = new Set([...runningAtKill.keys()].filter((key) => running(c.child.pid!).has(key)))

    await until('half of the fault phase', 240_000, () => faultDone() >= total / 2)
    const probes: Probe[] = []
    let probing = true
    const prober = (async () => {
      while (probing) {
        const sample = await probe(b.health)
        probes.push(sample)
        if (sample.refused) break
        await delay(20)
      }
    })()
    await delay(100) // a ready sample first
    let termAt = 0
    await until('b running 2 calls', 60_000, () => {
      if (running(b.child.pid!).size < 2) return false
      termAt = Date.now()
      b.child.kill('SIGTERM')
      return true
    })
    progress('SIGTERM b')
    const bExit = await exited(b.child)
    const drainMs = Date.now() - termAt
    probing = false
    await prober
    progress(`b exited ${JSON.stringify(bExit)}`)
    const {ms, refused} = await run.done
    progress('fault phase done')
    verifyPhase('fault', FAULT_AGENTS)

    // The SIGTERMed worker: exit 0, every call it started finished there, including those running at the signal.
    expect(bExit, b.log.join('\n')).to.deep.equal({code: 0, signal: null})
    expect(running(b.child.pid!).size, 'calls b started and never finished').to.equal(0)
    // calls b was running at the signal: started before it, finished (on b, as checked above) after it
    const startedBefore = new Set(lines.filter((line) => line.pid === b.child.pid && line.phase === 'start' && line.t <= termAt).map((line) => `${line.wf}/${line.id}/${line.attempt}`))
    const finishedAfterTerm = lines.filter((line) => line.pid === b.child.pid && line.phase === 'done' && line.t > termAt && startedBefore.has(`${line.wf}/${line.id}/${line.attempt}`))
    expect(finishedAfterTerm.length, 'calls running on b at SIGTERM that finished there afterwards').to.be.greaterThan(0)

    // Readiness: ready, then not-ready while b still polls (its worker RUNNING), and only then the worker leaves RUNNING.
    const states = probes.filter((sample) => !sample.refused).map((sample) => `${sample.code} ${sample.body!.status} ${sample.body!.workers.map((worker) => worker.state).join(',')}`)
    const firstNotReady = states.findIndex((state) => state.startsWith('503'))
    const firstStopping = states.findIndex((state) => !/RUNNING/.test(state.split(' ')[2]))
    expect(states[0], states.join('\n')).to.equal('200 ready RUNNING')
    expect(states[firstNotReady], states.join('\n')).to.equal('503 draining RUNNING')
    expect(firstStopping === -1 || firstStopping > firstNotReady, states.join('\n')).to.equal(true)
    const notReadyAt = probes.filter((sample) => sample.code === 503)[0].t
    const stopLog = b.log.find((line) => / Stopping the worker/.test(line))
    expect(stopLog, b.log.join('\n')).to.not.equal(undefined)
    expect(notReadyAt).to.be.lessThan(Number(stopLog!.split(' ')[0]))

    // kill -9: the calls c was running are retried on another worker.
    expect(lost.size, 'calls running on c when it was killed').to.be.greaterThan(0)
    const retried = lines.filter((line) => line.phase === 'done' && line.pid !== c.child.pid && lost.has(`${line.wf}/${line.id}/${line.attempt - 1}`))
    expect(retried.length, 'retries of the calls lost with c').to.be.greaterThan(0)
    const firstRetry = Math.min(...retried.map((line) => line.t)) - killedAt
    const duplicates = lines.filter((line) => line.phase === 'done' && line.agent.startsWith('fault-')).length - total
    figures.push(
      `faults: ${FAULT_AGENTS} agents x ${EVENTS} events in ${(ms / 1000).toFixed(1)} s = ${((total * 1000) / ms).toFixed(0)} events/s (kill -9 and SIGTERM included; ${refused} events refused and sent again)`,
      `kill -9 -> first retried call finished on another worker: ${(firstRetry / 1000).toFixed(2)} s (step startToCloseTimeout ${STEP_TIMEOUT}; ${lost.size} calls were running on the killed worker; ${duplicates} calls ran twice)`,
      `SIGTERM -> b exited 0 after ${(drainMs / 1000).toFixed(1)} s (delay ${SHUTDOWN_DELAY_MS} ms included), finishing the ${finishedAfterTerm.length} calls it was running; readiness 503 ${stopLog ? Number(stopLog.split(' ')[0]) - notReadyAt : '?'} ms before polling stopped`,
    )
    expect(a.child.exitCode).to.equal(null)
    process.stdout.write(`\n      ${figures.join('\n      ')}\n`)
  })
})
