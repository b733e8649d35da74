import {expect} from 'chai'
import {spawn, spawnSync} from 'node:child_process'
import {cpSync, existsSync, mkdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {BIN, REPO_ROOT, runCli} from '../helpers/cli.js'
import {snapshot, tempDir} from '../helpers/fs.js'
import {linkPlugins} from '../helpers/plugins.js'

/**
 * The kill-injection matrix (issue 12): every generator and destroy is killed with SIGKILL at each of
 * its rename, unlink and rmdir calls in turn (strace's syscall injection, counted per syscall on the
 * CLI's main thread, where every file operation of a commit runs). After each kill, the same command
 * run again, and `restack list` run on a copy, must leave the project exactly in its old or its new
 * state, ledger included, with no temp file, no journal and no lock left.
 */
const STRACE = spawnSync('strace', ['-V']).status === 0
const SYSCALLS = ['rename', 'unlink', 'rmdir']

interface Outcome {
  killed: boolean
  status: null | number
  stderr: string
}

function runAsync(args: string[], cwd: string, env: NodeJS.ProcessEnv, prefix: string[] = []): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const [command, ...rest] = [...prefix, process.execPath, BIN, ...args]
    const child = spawn(command, rest, {cwd, env: {...process.env, ...env}, stdio: ['ignore', 'ignore', 'pipe']})
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (status, signal) => resolve({killed: signal === 'SIGKILL' || status === 137, status, stderr}))
  })
}

/** Runs `jobs` with at most `limit` at once. */
async function pool<T>(jobs: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = []
  let next = 0
  await Promise.all(
    Array.from({length: limit}, async () => {
      while (next < jobs.length) {
        const index = next++
        results[index] = await jobs[index]()
      }
    }),
  )
  return results
}

/** The project's state: everything but .restack/cache, which plugins refresh after their commit for Tab completion (a cache, not state). */
const state = (root: string): Record<string, string> =>
  Object.fromEntries(Object.entries(snapshot(root)).filter(([path]) => !path.startsWith('.restack/cache')))

/** Leftovers a finished command must never leave: temp files, the journal, a lock. */
function leftovers(root: string): string[] {
  return Object.keys(snapshot(root)).filter((path) => path.endsWith('.restack-tmp') || path.startsWith('.restack/txn') || path.startsWith('.restack/lock'))
}

const countCalls = (log: string, syscall: string): number => readFileSync(log, 'utf8').split('\n').filter((line) => line.startsWith(`${syscall}(`)).length

const CASES: Array<{args: string[]; base: 'grown' | 'new'; name: string}> = [
  {args: ['g', 'function', 'SendEmail', '--task-queue', 'email', '--rate-limit', '5'], base: 'new', name: 'g function'},
  {args: ['g', 'agent', 'Support', '--events', 'message,feedback'], base: 'new', name: 'g agent'},
  {args: ['g', 'workflow', 'Onboard'], base: 'new', name: 'g workflow'},
  {args: ['g', 'pipeline', 'Blog', '--operators', 'IDEATE → DRAFT ⇄ REVIEW', '--scaffold-missing'], base: 'new', name: 'g pipeline'},
  {args: ['g', 'prompt', 'Summarize'], base: 'new', name: 'g prompt'},
  {args: ['generate:llm-config'], base: 'new', name: 'g llm-config'},
  {args: ['generate:tool-server', 'Web', '--transport', 'http'], base: 'new', name: 'g tool-server'},
  {args: ['d', 'function', 'ChargeCard'], base: 'grown', name: 'd function'},
  {args: ['d', 'agent', 'Helpdesk'], base: 'grown', name: 'd agent'},
  {args: ['d', 'workflow', 'Billing'], base: 'grown', name: 'd workflow'},
  {args: ['d', 'pipeline', 'Digest'], base: 'grown', name: 'd pipeline'},
  {args: ['d', 'prompt', 'Greeting'], base: 'grown', name: 'd prompt'},
  {args: ['destroy:llm-config'], base: 'grown', name: 'd llm-config'},
  {args: ['destroy:tool-server', 'Files'], base: 'grown', name: 'd tool-server'},
]

describe('a command killed at any file operation leaves the old or the new project (kill-injection matrix)', function () {
  this.timeout(1_800_000)
  let work: ReturnType<typeof tempDir>
  let env: NodeJS.ProcessEnv
  const bases: Record<string, string> = {}

  before(function () {
    if (!STRACE) {
      // CI must run it (.ci/run installs strace); elsewhere say loudly why it did not run.
      if (process.env.CI) throw new Error('strace is not installed, so the kill-injection matrix cannot run: apt-get install strace')
      console.warn('    strace is not installed: the kill-injection matrix cannot run here (apt-get install strace; .ci/run installs it)')
      this.skip()
    }

    work = tempDir('restack-crash-')
    env = linkPlugins(join(work.path, 'data'), [
      {name: '@restack/plugin-llm', root: join(REPO_ROOT, 'plugins/plugin-llm')},
      {name: '@restack/plugin-tools', root: join(REPO_ROOT, 'plugins/plugin-tools')},
    ])
    const make = (name: string, steps: string[][]): void => {
      mkdirSync(join(work.path, name))
      const created = runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: join(work.path, name), env})
      expect(created.status, created.stderr).to.equal(0)
      const parent = join(work.path, name, 'demo')
      for (const step of steps) {
        const result = runCli(step, {cwd: parent, env})
        expect(result.status, `${step.join(' ')}: ${result.stderr}`).to.equal(0)
      }

      bases[name] = parent
    }

    make('new', [])
    make('grown', [
      ['g', 'function', 'ChargeCard', '--task-queue', 'payments', '--rate-limit', '5'],
      ['g', 'agent', 'Helpdesk', '--events', 'ask'],
      ['g', 'workflow', 'Billing'],
      ['g', 'pipeline', 'Digest', '--operators', 'FETCH → SUMMARIZE', '--scaffold-missing'],
      ['g', 'prompt', 'Greeting'],
      ['generate:llm-config'],
      ['generate:tool-server', 'Files'],
    ])
  })

  after(() => work?.cleanup())

  for (const testCase of CASES) {
    it(`${testCase.name}: every kill point`, async () => {
      const dirFor = (label: string) => join(work.path, `${testCase.name.replace(' ', '-')}-${label}`)
      const base = bases[testCase.base]
      const old = state(base)
      // The new state, and how often the command makes each call.
      const reference = dirFor('reference')
      cpSync(base, reference, {recursive: true})
      const log = join(work.path, `${testCase.name.replace(' ', '-')}.strace`)
      const traced = await runAsync(testCase.args, reference, env, ['strace', '-qq', '-o', log, '-e', `trace=${SYSCALLS.join(',')}`])
      expect(traced.status, traced.stderr).to.equal(0)
      const next = state(reference)
      expect(next).to.not.deep.equal(old)

      const points = SYSCALLS.flatMap((syscall) => Array.from({length: countCalls(log, syscall)}, (_, index) => ({syscall, when: index + 1})))
      expect(points.length).to.be.greaterThan(3)
      const failures = await pool(
        points.map(({syscall, when}) => async (): Promise<string[]> => {
          const label = `${syscall}-${when}`
          const killedDir = dirFor(label)
          cpSync(base, killedDir, {recursive: true})
          const kill = ['strace', '-qq', '-o', '/dev/null', '-e', `trace=${syscall}`, '-e', `inject=${syscall}:signal=SIGKILL:when=${when}`]
          const killed = await runAsync(testCase.args, killedDir, env, kill)
          if (!killed.killed) return [`${label}: the command was not killed (exit ${killed.status}): ${killed.stderr}`]
          const listDir = dirFor(`${label}-list`)
          cpSync(killedDir, listDir, {recursive: true})
          const problems: string[] = []
          for (const [dir, args] of [
            [killedDir, testCase.args],
            [listDir, ['list']],
          ] as const) {
            const after = await runAsync([...args], dir, env)
            const tree = state(dir)
            const verdict = JSON.stringify(tree) === JSON.stringify(next) ? 'new' : JSON.stringify(tree) === JSON.stringify(old) ? 'old' : 'mixed'
            if (verdict === 'mixed') {
              const differs = (from: Record<string, string>) => Object.keys({...tree, ...from}).filter((path) => tree[path] !== from[path]).slice(0, 4).join(', ')
              problems.push(`${label}, then "${args.join(' ')}" (exit ${after.status}): neither the old nor the new project; differs from the new at ${differs(next)}; from the old at ${differs(old)}; ${after.stderr.trim()}`)
            }

            const left = leftovers(dir)
            if (left.length > 0) problems.push(`${label}, then "${args.join(' ')}": left ${left.join(', ')}`)
          }

          spawnSync('rm', ['-rf', killedDir, listDir])
          return problems
        }),
        2,
      )
      expect(failures.flat(), `${points.length} kill points`).to.deep.equal([])
      expect(existsSync(join(reference, '.restack/txn'))).to.equal(false)
    })
  }
})
