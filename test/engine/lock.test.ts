import {expect} from 'chai'
import {existsSync, mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {LOCK_PATH, withLock} from '../../src/engine/lock.js'
import {UserError} from '../../src/errors.js'
import {useTempDir} from '../helpers/fs.js'

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
    mkdirSync(join(dir.path, '.restack'))
    writeFileSync(join(dir.path, LOCK_PATH), `${process.ppid}\n`)
    const error = await withLock(dir.path, async () => 'ran', 200).catch((error_) => error_)
    expect(error).to.be.instanceOf(UserError)
    expect(error.message).to.match(/Another restack command \(pid \d+\).*Nothing was written/)
  })

  it('takes over a lock left by a dead process', async () => {
    mkdirSync(join(dir.path, '.restack'))
    writeFileSync(join(dir.path, LOCK_PATH), '999999999\n')
    expect(await withLock(dir.path, async () => 'ran', 200)).to.equal('ran')
  })

  it('leaves no .restack directory behind when it had to create one', async () => {
    await withLock(dir.path, async () => {})
    expect(existsSync(join(dir.path, '.restack'))).to.equal(false)
  })
})
