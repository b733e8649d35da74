import {expect} from 'chai'
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {LOCK_PATH, settle, withLock} from '../../src/engine/lock.js'
import {UserError} from '../../src/errors.js'
import {useTempDir} from '../helpers/fs.js'

const HOLDER = fileURLToPath(new URL('../fixtures/lock-holder.ts', import.meta.url))

/** A pid that certainly belonged to a process that has exited. */
const deadPid = (): number => spawnSync('true').pid!

/** What a killed command leaves: its ticket (and a claim still choosing) in the lock folder. */
function plantStaleClaims(root: string): void {
  mkdirSync(join(root, LOCK_PATH), {recursive: true})
  writeFileSync(join(root, LOCK_PATH, `ticket.1.${deadPid()}-dead01`), '')
  writeFileSync(join(root, LOCK_PATH, `choosing.${deadPid()}-dead02`), '')
}

/** Runs `processes` holders at once, each taking the lock `rounds` times; returns the log of their stays. */
async function race(root: string, processes: number, rounds: number): Promise<string[]> {
  const log = join(root, 'holders.log')
  writeFileSync(log, '')
  await Promise.all(
    Array.from(
      {length: processes},
      () =>
        new Promise<void>((resolve, reject) => {
          const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, root, log, String(rounds)], {stdio: ['ignore', 'ignore', 'pipe']})
          let stderr = ''
          child.stderr.on('data', (chunk) => (stderr += chunk))
          child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`holder exited ${code}: ${stderr}`))))
        }),
    ),
  )
  return readFileSync(log, 'utf8').trim().split('\n')
}

/** The most holders inside the critical section at once, read from the log. */
function maxHolders(lines: string[]): number {
  let inside = 0
  let most = 0
  for (const line of lines) {
    inside += line.startsWith('enter') ? 1 : -1
    most = Math.max(most, inside)
  }

  return most
}

describe('engine/lock', () => {
  const dir = useTempDir()

  it('serialises two runs: the second starts only after the first has finished', async () => {
    const events: string[] = []
    const run = (name: string, ms: number) =>
      withLock(dir.path, async () => {
        events.push(`${name} start`)
        await new Promise((resolve) => {
          setTimeout(resolve, ms)
        })
        events.push(`${name} end`)
      })
    await Promise.all([run('a', 150), run('b', 10)])
    expect(events).to.deep.equal(['a start', 'a end', 'b start', 'b end'])
    expect(existsSync(join(dir.path, LOCK_PATH))).to.equal(false)
  })

  it('fails cleanly when another live process holds the lock past the wait', async () => {
    mkdirSync(join(dir.path, LOCK_PATH), {recursive: true})
    writeFileSync(join(dir.path, LOCK_PATH, `ticket.1.${process.ppid}-abcdef`), '')
    const error = await withLock(dir.path, async () => 'ran', 200).catch((error_) => error_)
    expect(error).to.be.instanceOf(UserError)
    expect(error.message).to.match(/Another restack command \(pid \d+\).*Nothing was written/)
    expect(readdirSync(join(dir.path, LOCK_PATH))).to.deep.equal([`ticket.1.${process.ppid}-abcdef`])
  })

  it('takes over the claims of dead processes, and an older restack\'s lock file', async () => {
    plantStaleClaims(dir.path)
    expect(await withLock(dir.path, async () => 'ran', 200)).to.equal('ran')
    expect(existsSync(join(dir.path, LOCK_PATH))).to.equal(false)
    // (no restack.yaml here, so the emptied .restack went with the lock: an older restack's lock file needs it back)
    mkdirSync(join(dir.path, '.restack'), {recursive: true})
    writeFileSync(join(dir.path, LOCK_PATH), `${deadPid()}\n`)
    expect(await withLock(dir.path, async () => 'ran again', 200)).to.equal('ran again')
    mkdirSync(join(dir.path, '.restack'), {recursive: true})
    writeFileSync(join(dir.path, LOCK_PATH), `${process.ppid}\n`)
    const error = await withLock(dir.path, async () => 'ran', 200).catch((error_) => error_)
    expect(error.message).to.match(/Another restack command \(pid \d+\)/)
  })

  it('leaves no .restack directory behind when it had to create one', async () => {
    await withLock(dir.path, async () => {})
    expect(existsSync(join(dir.path, '.restack'))).to.equal(false)
  })

  it('tidies what a killed command left in a folder that is no project yet (a killed init) down to nothing, and keeps .restack in a project', async () => {
    plantStaleClaims(dir.path)
    await settle(dir.path)
    expect(existsSync(join(dir.path, '.restack'))).to.equal(false)
    writeFileSync(join(dir.path, 'restack.yaml'), 'restack: 1\n')
    plantStaleClaims(dir.path)
    await settle(dir.path)
    expect(readdirSync(join(dir.path, '.restack'))).to.deep.equal([])
  })

  it('lets a read-only command tidy dead claims without waiting for a live holder', async () => {
    plantStaleClaims(dir.path)
    writeFileSync(join(dir.path, LOCK_PATH, `ticket.2.${process.ppid}-abcdef`), '')
    await settle(dir.path)
    expect(readdirSync(join(dir.path, LOCK_PATH))).to.deep.equal([`ticket.2.${process.ppid}-abcdef`])
  })

  it('never has two holders at once: 10 processes x 20 rounds on a stale lock', async function () {
    this.timeout(300_000)
    plantStaleClaims(dir.path)
    const lines = await race(dir.path, 10, 20)
    expect(lines.filter((line) => line.startsWith('enter'))).to.have.length(200)
    expect(maxHolders(lines)).to.equal(1)
    expect(existsSync(join(dir.path, LOCK_PATH))).to.equal(false)
    // and from an older restack's stale lock file
    mkdirSync(join(dir.path, '.restack'), {recursive: true})
    writeFileSync(join(dir.path, LOCK_PATH), `${deadPid()}\n`)
    const again = await race(dir.path, 10, 5)
    expect(maxHolders(again)).to.equal(1)
    expect(again.filter((line) => line.startsWith('enter'))).to.have.length(50)
  })
})
