#!/usr/bin/env node
// npm test: every test file in its own mocha process, RESTACK_TEST_JOBS at a time (default: the number of
// CPUs, at least 2), longest first. Most of the suite waits on child processes (npm, tsc, a Temporal dev
// server, Python peers), so two files side by side take about half the wall time of one mocha run.
// Longest first uses the durations of the last run on this machine (in restack-gen's cache), else
// test/durations.json (checked in, refreshed with `node scripts/test.mjs --write-durations`).
// Each file's output is printed whole when it ends; a summary of failures and the slowest files closes
// the run. With directories (`npm test -- test/engine`), the files under them run the same way; with
// file arguments (`npm test -- test/x.test.ts`), mocha runs just those, in one process.
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {availableParallelism, homedir} from 'node:os'
import {dirname, join, relative, resolve} from 'node:path'

const root = resolve(import.meta.dirname, '..')
const mocha = join(root, 'node_modules/mocha/bin/mocha.js')
const args = process.argv.slice(2)
const writeDurations = args.includes('--write-durations')
const paths = args.filter((arg) => !arg.startsWith('--'))
const dirs = paths.filter((path) => existsSync(path) && statSync(path).isDirectory())

if (paths.length > dirs.length) {
  const run = spawnSync(process.execPath, [mocha, ...args], {cwd: root, stdio: 'inherit'})
  process.exit(run.status ?? 1)
}

const cacheFile = join(process.env.RESTACK_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'restack-gen'), 'test-durations.json')
const checkedIn = join(root, 'test/durations.json')
const jobs = Math.max(1, Number(process.env.RESTACK_TEST_JOBS) || Math.max(2, availableParallelism()))

const testFiles = dirs.length === 0
  ? [...walk('test'), ...readdirSync(join(root, 'plugins')).flatMap((name) => walk(join('plugins', name, 'test')))]
  : dirs.flatMap((dir) => walk(relative(root, resolve(dir))))
const known = {...readJson(checkedIn), ...readJson(cacheFile)}
// A file with no recorded duration goes first: it is new, and new files are usually end-to-end tests.
// Files known to be quick share one mocha process per batch of about BATCH_SECONDS (a mocha start with
// tsx costs about a second of CPU).
const BATCH_SECONDS = 60
const sorted = testFiles.toSorted((a, b) => (known[b] ?? Infinity) - (known[a] ?? Infinity) || a.localeCompare(b))
const order = []
for (const file of sorted) {
  const seconds = known[file] ?? Infinity
  const batch = order.at(-1)
  if (seconds < BATCH_SECONDS / 4 && batch && batch.quick && batch.seconds + seconds <= BATCH_SECONDS) {
    batch.files.push(file)
    batch.seconds += seconds
  } else order.push({files: [file], quick: seconds < BATCH_SECONDS / 4, seconds})
}

const results = []
const running = new Set()
const started = Date.now()
process.on('SIGINT', () => stopAll('SIGINT'))
process.on('SIGTERM', () => stopAll('SIGTERM'))
console.log(`${testFiles.length} test files in ${order.length} mocha runs, ${jobs} at a time, longest first\n`)
await Promise.all(Array.from({length: Math.min(jobs, order.length)}, () => worker()))

const failed = results.filter((result) => result.code !== 0)
// A batch's time is shared out evenly among its files: enough to keep them batched, or not, next time.
const durations = Object.fromEntries(results.flatMap((result) => result.files.map((file) => [file, Math.max(1, Math.round(result.seconds / result.files.length))])))
mkdirSync(dirname(cacheFile), {recursive: true})
writeFileSync(cacheFile, JSON.stringify({...readJson(cacheFile), ...durations}, null, 2) + '\n')
if (writeDurations) writeFileSync(checkedIn, JSON.stringify(sortByValue(durations), null, 2) + '\n')

const total = (key) => results.reduce((sum, result) => sum + result[key], 0)
console.log(`\n${'='.repeat(72)}`)
console.log(`${total('passing')} passing, ${total('failing')} failing, ${total('pending')} pending in ${testFiles.length} files (${results.length} mocha runs); ${((Date.now() - started) / 1000).toFixed(0)} s wall, ${jobs} jobs`)
console.log('slowest files:')
for (const result of results.toSorted((a, b) => b.seconds - a.seconds).slice(0, 10)) console.log(`  ${result.seconds.toFixed(0).padStart(5)} s  ${result.file}`)
if (failed.length > 0) {
  console.log('FAILED:')
  for (const result of failed) console.log(`  ${result.file} (${result.failing} failing, exit ${result.code})`)
}

process.exit(failed.length > 0 ? 1 : 0)

async function worker() {
  for (let run = order.shift(); run; run = order.shift()) results.push(await runFiles(run.files))
}

function runFiles(files) {
  const start = Date.now()
  const file = files.length === 1 ? files[0] : `${files[0]} and ${files.length - 1} more`
  const color = process.stdout.isTTY ? '--color' : '--no-color'
  return new Promise((done) => {
    const child = spawn(process.execPath, [mocha, color, ...files], {cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe']})
    running.add(child)
    const chunks = []
    child.stdout.on('data', (chunk) => chunks.push(chunk))
    child.stderr.on('data', (chunk) => chunks.push(chunk))
    child.on('close', (code, signal) => {
      running.delete(child)
      const output = Buffer.concat(chunks).toString()
      const plain = output.replaceAll(/\u001B\[[\d;]*m/g, '')
      const count = (word) => Number(plain.match(new RegExp(`(\\d+) ${word}`))?.[1] ?? 0)
      const seconds = (Date.now() - start) / 1000
      const result = {code: code ?? 1, failing: count('failing'), file, files, passing: count('passing'), pending: count('pending'), seconds}
      if (signal) result.failing ||= 1
      console.log(`${'─'.repeat(72)}\n${file} (${seconds.toFixed(1)} s${result.code === 0 ? '' : `, FAILED, exit ${code ?? signal}`})`)
      process.stdout.write(output.endsWith('\n') ? output : `${output}\n`)
      done(result)
    })
  })
}

function stopAll(signal) {
  for (const child of running) {
    try {
      process.kill(-child.pid, signal)
    } catch {}
  }

  process.exit(130)
}

function walk(dir) {
  const full = join(root, dir)
  if (!existsSync(full)) return []
  return readdirSync(full, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => relative(root, join(entry.parentPath ?? entry.path, entry.name)))
    .filter((file) => !file.split('/').includes('node_modules'))
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return {}
  }
}

function sortByValue(record) {
  return Object.fromEntries(Object.entries(record).toSorted((a, b) => b[1] - a[1]))
}
