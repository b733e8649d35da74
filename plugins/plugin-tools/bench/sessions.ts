// Benchmark (not a test): the memory of a generated HTTP tool server after 2,000 abandoned sessions
// (initialize, then never used or closed), with the generated defaults (at most 100 sessions, idle
// ones expire after 10 minutes) and with the cap lifted (MCP_MAX_SESSIONS=100000: unbounded, as
// before sessions were bounded). RSS from /proc/<pid>/status, after a settle.
// Run: npx tsx plugins/plugin-tools/bench/sessions.ts   (after npm run build; Linux)
// BENCH_PROJECT=<an installed project with a "web" HTTP server> skips generating one.
import {spawn} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {REPO_ROOT, runCli} from '../../../test/helpers/cli.js'
import {tempDir} from '../../../test/helpers/fs.js'
import {installProject} from '../../../test/helpers/install.js'
import {linkPlugins} from '../../../test/helpers/plugins.js'

const SESSIONS = Number(process.env.SESSIONS ?? 2000)
const rssMb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024
const sleep = (ms: number) => new Promise((resolve) => {
  setTimeout(resolve, ms)
})

async function measure(root: string, env: Record<string, string>): Promise<{after: number; before: number; open: number}> {
  const server = spawn(process.execPath, ['--require', 'tsx/cjs', 'src/tools/servers/web.ts'], {cwd: root, env: {...process.env, ...env, PORT: '0'}, stdio: ['ignore', 'pipe', 'ignore']})
  try {
    const url = await new Promise<string>((resolve) => {
      let seen = ''
      server.stdout!.on('data', (chunk) => {
        seen += chunk
        const match = /MCP_LISTENING (\S+)/.exec(seen)
        if (match) resolve(match[1])
      })
    })
    const initialize = JSON.stringify({id: 1, jsonrpc: '2.0', method: 'initialize', params: {capabilities: {}, clientInfo: {name: 'bench', version: '0'}, protocolVersion: '2025-06-18'}})
    const post = () => fetch(url, {body: initialize, headers: {accept: 'application/json, text/event-stream', 'content-type': 'application/json'}, method: 'POST'}).then((response) => response.text())
    for (let i = 0; i < 20; i++) await post() // warm up
    await sleep(500)
    const before = rssMb(server.pid!)
    let open = 0
    for (let i = 0; i < SESSIONS; i += 50) {
      await Promise.all(Array.from({length: 50}, () => post()))
      open += 50
    }

    await sleep(1000)
    return {after: rssMb(server.pid!), before, open}
  } finally {
    server.kill('SIGKILL')
  }
}

let dir: ReturnType<typeof tempDir> | undefined
try {
  let root = process.env.BENCH_PROJECT
  if (!root) {
    dir = tempDir('restack-bench-sessions-')
    const env = linkPlugins(join(dir.path, 'data'), [{name: '@restack/plugin-tools', root: join(REPO_ROOT, 'plugins/plugin-tools')}])
    runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path})
    root = join(dir.path, 'demo')
    runCli(['g', 'tool-server', 'Web', '--transport', 'http'], {cwd: root, env})
    await installProject(root)
  }

  console.log(`node ${process.version}, ${SESSIONS} abandoned sessions`)
  for (const [label, env] of [
    ['bounded (defaults: max 100 sessions)', {}],
    ['unbounded (MCP_MAX_SESSIONS=100000)', {MCP_MAX_SESSIONS: '100000'}],
  ] as const) {
    const {after, before} = await measure(root, env)
    console.log(`${label}: RSS ${before.toFixed(0)} MB -> ${after.toFixed(0)} MB`)
  }
} finally {
  dir?.cleanup()
}
