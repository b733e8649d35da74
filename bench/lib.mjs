// bench/lib.mjs: a tiny harness for command-line benchmarks (benchmarks, never tests).
//
// Every case is compared with a floor command (default `node -e 0`) measured in the same run,
// interleaved with the cases (floor, case 1, case 2, ..., floor, case 1, ...), so a slow or noisy
// machine moves the floor and the cases together and the ratio stays meaningful. One warm-up round
// of everything runs first and is not counted. Times are wall-clock (process.hrtime) around a
// synchronous spawn, so they include process creation, exactly as a user at a shell sees it.
//
// Usage from a bench script:
//   import {parseArgs, runBench, nodeCase} from './lib.mjs'
//   const opts = parseArgs(process.argv.slice(2))
//   await runBench({title, cases: [nodeCase('restack --version', ['bin/run.js', '--version'], {target: 2.5})]}, opts)

import {spawnSync} from 'node:child_process'
import {cpSync, existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {cpus, tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

/** Repository root (the folder above bench/). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** The floor every ratio is taken against: starting Node and doing nothing. */
export const FLOOR = {name: 'node -e 0 (floor)', command: process.execPath, args: ['-e', '0']}

const USAGE = `Options:
  --runs N   measured runs of each command (default 10; one extra warm-up run is not counted)
  --json     print one JSON object instead of the table
  -h, --help this text`

/**
 * Parse the common flags: --runs N (or --runs=N), --json, --help.
 * Unknown flags are a usage error (exit 2), so a typo never silently benchmarks the defaults.
 */
export function parseArgs(argv, {usage = ''} = {}) {
  const opts = {runs: 10, json: false}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--json') opts.json = true
    else if (a === '--runs' || a.startsWith('--runs=')) {
      const v = a === '--runs' ? argv[++i] : a.slice('--runs='.length)
      const n = Number(v)
      if (!Number.isInteger(n) || n < 1) usageError(`--runs needs a whole number of at least 1, got '${v}'.`, usage)
      opts.runs = n
    } else if (a === '-h' || a === '--help') {
      process.stdout.write(`${usage ? usage + '\n' : ''}${USAGE}\n`)
      process.exit(0)
    } else usageError(`unknown argument '${a}'.`, usage)
  }
  return opts
}

function usageError(msg, usage) {
  process.stderr.write(`bench: ${msg}\n${usage ? usage + '\n' : ''}${USAGE}\n`)
  process.exit(2)
}

/**
 * A case that runs `node <args>` with the same Node binary as the floor.
 * opts: cwd, env, target (max ratio against the floor, shown in the table), setup() -> context
 * (run before each run, not timed; its result is passed to cwd/teardown/check when they are
 * functions), teardown(ctx), check(result, ctx) -> error string or undefined.
 */
export function nodeCase(name, args, opts = {}) {
  return {name, command: process.execPath, args, ...opts}
}

/** A setup/teardown pair giving each run a fresh empty temp dir (removed after the run). */
/** `restack g function X` in a fresh copy of the project `<base>/demo` per run, outside the timing. */
export function generateFunctionCase(base, target = 3.0) {
  return nodeCase('restack g function X', [join(ROOT, 'bin/run.js'), 'g', 'function', 'SendEmail'], {
    check: (_result, dir) => (existsSync(join(dir, 'src/functions/sendEmail.ts')) ? undefined : 'sendEmail.ts was not written'),
    cwd: (dir) => dir,
    setup() {
      const dir = join(mkdtempSync(join(tmpdir(), 'restack-bench-run-')), 'demo')
      cpSync(join(base, 'demo'), dir, {recursive: true})
      return dir
    },
    target,
    teardown: (dir) => rmSync(join(dir, '..'), {force: true, recursive: true}),
  })
}

export function freshTempDir(prefix = 'restack-bench-') {
  return {
    setup: () => mkdtempSync(join(tmpdir(), prefix)),
    cwd: (dir) => dir,
    teardown: (dir) => rmSync(dir, {recursive: true, force: true}),
  }
}

/** Fail early, with one clear line, when the CLI under test is not built. */
export function requireFiles(paths, hint) {
  const missing = paths.filter((p) => !existsSync(resolve(ROOT, p)))
  if (missing.length > 0) {
    process.stderr.write(`bench: missing ${missing.join(', ')} (under ${ROOT}). ${hint}\n`)
    process.exit(1)
  }
}

/**
 * CPU time (user + system, ms) of this process's finished children, from /proc/self/stat (Linux; 10 ms
 * ticks); undefined elsewhere. A spawnSync'd child is reaped when it returns, so the difference
 * around one run is that run's CPU time: a figure that a busy machine's waiting does not inflate.
 */
function childrenCpuMs() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')
    return (Number(fields[13]) + Number(fields[14])) * 10 // cutime, cstime (fields 16 and 17), at 100 ticks a second
  } catch {
    return undefined
  }
}

function runOnce(c) {
  const ctx = c.setup ? c.setup() : undefined
  try {
    const cwd = typeof c.cwd === 'function' ? c.cwd(ctx) : (c.cwd ?? ROOT)
    const env = {...process.env, ...c.env}
    const cpu0 = childrenCpuMs()
    const t0 = process.hrtime.bigint()
    const r = spawnSync(c.command, c.args, {cwd, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024})
    const ms = Number(process.hrtime.bigint() - t0) / 1e6
    const cpu = cpu0 === undefined ? undefined : childrenCpuMs() - cpu0
    let problem
    if (r.error) problem = r.error.message
    else if (r.status !== 0) problem = `exit ${r.status ?? r.signal}`
    else if (c.check) problem = c.check(r, ctx)
    if (problem) {
      const out = `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n').slice(-5).join('\n  ')
      throw new Error(`'${c.name}' failed (${problem}); a benchmark of a failing command means nothing.\n  ${out}`)
    }
    return {cpu, ms}
  } finally {
    if (c.teardown) c.teardown(ctx)
  }
}

/** Median, min and max of a list of numbers (median of an even count: mean of the middle two). */
export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  const median = s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
  return {median, min: s[0], max: s[s.length - 1]}
}

/**
 * Measure the floor and every case, interleaved, `runs` times after one warm-up round.
 * Returns {title, runs, node, platform, cpus, floor, results} and prints a table (or JSON).
 * Case `pending: true` rows are listed as placeholders and not run.
 */
export async function runBench({title, cases, floor = FLOOR}, {runs = 10, json = false} = {}) {
  const active = cases.filter((c) => !c.pending)
  const all = [floor, ...active]
  const times = all.map(() => [])
  const cpuTimes = all.map(() => [])
  try {
    for (const c of all) runOnce(c) // warm-up: file cache, compile cache, lazy OS state
    for (let i = 0; i < runs; i++) {
      all.forEach((c, j) => {
        const {cpu, ms} = runOnce(c)
        times[j].push(ms)
        if (cpu !== undefined) cpuTimes[j].push(cpu)
      })
    }
  } catch (error) {
    process.stderr.write(`bench: ${error.message}\n`)
    process.exit(1)
  }
  const floorStats = stats(times[0])
  const floorCpu = cpuTimes[0].length > 0 ? stats(cpuTimes[0]).median : undefined
  const round = (x) => Math.round(x * 100) / 100
  const row = (c, t, cpu) => {
    const s = stats(t)
    const ratio = round(s.median / floorStats.median) // judged at the precision it is shown
    const cpuMedian = cpu.length > 0 ? stats(cpu).median : undefined
    return {
      name: c.name,
      command: [c.command === process.execPath ? 'node' : c.command, ...c.args].join(' '),
      median_ms: round(s.median),
      min_ms: round(s.min),
      max_ms: round(s.max),
      ratio,
      // CPU time (user + system) median and its ratio to the floor's: steadier than wall time on a busy machine
      cpu_ms: cpuMedian ?? null,
      cpu_ratio: cpuMedian === undefined || !floorCpu ? null : round(cpuMedian / floorCpu),
      target: c.target ?? null,
      within_target: c.target == null ? null : ratio <= c.target,
    }
  }
  const result = {
    title,
    runs,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpus().length,
    floor: row(floor, times[0], cpuTimes[0]),
    results: active.map((c, j) => row(c, times[j + 1], cpuTimes[j + 1])),
    pending: cases.filter((c) => c.pending).map((c) => c.name),
  }
  if (json) process.stdout.write(JSON.stringify(result, null, 2) + '\n')
  else process.stdout.write(formatTable(result))
  return result
}

/** The human table: one row per command, the floor first, ratios against the floor. */
export function formatTable(r) {
  const header = ['command', 'median', 'min', 'max', 'x floor', 'cpu', 'cpu x', 'target']
  const ms = (x) => `${x.toFixed(1)} ms`
  const rows = [r.floor, ...r.results].map((x) => [
    x.name,
    ms(x.median_ms),
    ms(x.min_ms),
    ms(x.max_ms),
    `${x.ratio.toFixed(2)}x`,
    x.cpu_ms == null ? '' : `${x.cpu_ms} ms`,
    x.cpu_ratio == null ? '' : `${x.cpu_ratio.toFixed(2)}x`,
    x.target == null ? '' : `<= ${x.target}x ${x.within_target ? 'ok' : 'OVER'}`,
  ])
  for (const p of r.pending) rows.push([p, '(pending)', '', '', '', '', '', ''])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)))
  const line = (cells) =>
    cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd()
  return [
    `${r.title}: median of ${r.runs} runs, interleaved with the floor (node ${r.node}, ${r.platform}, ${r.cpus} cpus)`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
  ].join('\n')
}
