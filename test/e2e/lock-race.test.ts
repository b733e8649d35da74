import {expect} from 'chai'
import {spawn, spawnSync} from 'node:child_process'
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {BIN, runCli} from '../helpers/cli.js'
import {useTempDir} from '../helpers/fs.js'

/** What a command killed while holding the lock leaves behind, in the old and the new lock format. */
function plantStaleLock(root: string, round: number): void {
  const dead = spawnSync('true').pid!
  if (round % 2 === 0) {
    mkdirSync(join(root, '.restack/lock'), {recursive: true})
    writeFileSync(join(root, '.restack/lock', `ticket.7.${dead}-0badf00d`), '')
  } else {
    writeFileSync(join(root, '.restack/lock'), `${dead}\n`)
  }
}

const generate = (root: string, name: string): Promise<{status: null | number; stderr: string}> =>
  new Promise((resolve) => {
    // The test is about lost registrations, not latency: on a loaded machine ten queued generators may wait longer than 10 s.
    const child = spawn(process.execPath, [BIN, 'g', 'function', name], {cwd: root, env: {...process.env, RESTACK_LOCK_TIMEOUT: '300'}, stdio: ['ignore', 'ignore', 'pipe']})
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('close', (status) => resolve({status, stderr}))
  })

describe('ten generators racing on a stale lock', () => {
  const dir = useTempDir()

  it('lose no registration: 10 processes x 20 rounds, each round after a killed holder', async function () {
    this.timeout(900_000)
    const created = runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path})
    expect(created.status, created.stderr).to.equal(0)
    const root = join(dir.path, 'demo')
    const names: string[] = []
    for (let round = 0; round < 20; round++) {
      plantStaleLock(root, round)
      const batch = Array.from({length: 10}, (_, index) => `race${round}x${index}`)
      names.push(...batch)
      const results = await Promise.all(batch.map((name) => generate(root, name)))
      for (const [index, result] of results.entries()) expect(result.status, `${batch[index]}: ${result.stderr}`).to.equal(0)
    }

    const barrel = readFileSync(join(root, 'src/functions/index.ts'), 'utf8')
    const services = readFileSync(join(root, 'src/services.ts'), 'utf8')
    const ledger = JSON.parse(readFileSync(join(root, '.restack/ledger.json'), 'utf8')).files
    const files = new Set(readdirSync(join(root, 'src/functions')))
    const lost = names.filter(
      (name) => !files.has(`${name}.ts`) || !barrel.includes(`"./${name}"`) || !new RegExp(`\\b${name}\\b`).test(services) || !ledger[`src/functions/${name}.ts`],
    )
    expect(lost, 'registrations lost').to.deep.equal([])
    expect(readdirSync(join(root, '.restack'))).to.deep.equal(['ledger.json'])
  })
})
