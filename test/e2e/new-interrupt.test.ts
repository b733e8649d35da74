import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {readdirSync, readlinkSync} from 'node:fs'
import {createServer, Server, Socket} from 'node:net'
import {join} from 'node:path'
import {setTimeout as delay} from 'node:timers/promises'

import {BIN, errorText, isOneParagraph} from '../helpers/cli.js'
import {useTempDir} from '../helpers/fs.js'

/** The pids of live processes whose working directory is `dir` or below it (from /proc). */
function processesIn(dir: string): Array<{command: string; pid: number}> {
  const found: Array<{command: string; pid: number}> = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`)
      if (cwd === dir || cwd.startsWith(`${dir}/`)) found.push({command: readlinkSync(`/proc/${entry}/exe`), pid: Number(entry)})
    } catch {
      // gone, or not ours to read
    }
  }

  return found
}

async function until<T>(what: string, ms: number, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await delay(100)
  }
}

// Regression (issue 12): an interrupted `restack new` left `npm install` running.
describe('restack new, interrupted during npm install', function () {
  if (process.platform !== 'linux') return
  const dir = useTempDir('restack-new-int-')
  let registry: Server
  let port = 0
  const sockets = new Set<Socket>()

  // A registry stand-in on 127.0.0.1 that accepts connections and never answers: a slow install.
  before(async () => {
    registry = createServer((socket) => {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => {})
    })
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve))
    port = (registry.address() as {port: number}).port
  })
  after(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise((resolve) => registry.close(resolve))
  })

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`stops npm and everything it started on ${signal}, and says how to finish in one paragraph`, async () => {
      const app = join(dir.path, 'demo')
      const child = spawn(process.execPath, [BIN, 'new', 'demo', '--skip-git'], {
        cwd: dir.path,
        env: {...process.env, npm_config_cache: join(dir.path, 'npm-cache'), npm_config_fetch_retries: '0', RESTACK_NPM_REGISTRY: `http://127.0.0.1:${port}/`},
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let stderr = ''
      child.stderr.on('data', (chunk) => (stderr += chunk))
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
      try {
        // npm is running in the new project, waiting on the registry
        await until('npm install to start in the project', 60_000, () => (processesIn(app).some((p) => p.pid !== child.pid) ? true : undefined))
        await delay(500)
        child.kill(signal)
        const code = await exited
        expect(code).to.equal(signal === 'SIGINT' ? 130 : 143)
        // nothing started in the project survives restack
        await until('every process in the project to end', 10_000, () => (processesIn(app).length === 0 ? true : undefined)).catch(() => {})
        expect(processesIn(app)).to.deep.equal([])
        const message = errorText(stderr.slice(stderr.indexOf('Error:')))
        expect(isOneParagraph(stderr.slice(stderr.indexOf('Error:')))).to.equal(true)
        expect(message).to.include(`Interrupted (${signal}) while installing dependencies`)
        expect(message).to.include('"cd demo && npm install"')
      } finally {
        for (const {pid} of processesIn(app)) process.kill(pid, 'SIGKILL')
        child.kill('SIGKILL')
      }
    })
  }
})
