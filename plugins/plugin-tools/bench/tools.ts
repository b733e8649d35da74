// Benchmark (not a test): in a generated project with one stdio and one HTTP tool server, installed
// for real, the time from manager start to the first tool result, and the tool-call round trip.
// Servers run through tsx (as config/tools.yaml generates) and compiled (node dist/...).
// Run: npx tsx plugins/plugin-tools/bench/tools.ts   (after npm run build)
import {spawnSync} from 'node:child_process'
import {join} from 'node:path'

import {REPO_ROOT, run, runCli} from '../../../test/helpers/cli.js'
import {tempDir} from '../../../test/helpers/fs.js'
import {installProject} from '../../../test/helpers/install.js'
import {linkPlugins} from '../../../test/helpers/plugins.js'

const ROUNDS = Number(process.env.ROUNDS ?? 7)
const CALLS = Number(process.env.CALLS ?? 300)

const PROBE = `
const { ToolManager } = require("./src/tools/manager");
const { loadToolsConfig } = require("./src/tools/config");
const [server, mode, calls] = process.argv.slice(1);
(async () => {
  const config = loadToolsConfig();
  const entry = config.servers[server];
  if (mode === "compiled") entry.args = ["dist/tools/servers/" + server + ".js"];
  for (const name of Object.keys(config.servers)) if (name !== server) delete config.servers[name];
  const t0 = performance.now();
  const manager = new ToolManager({ config, log: () => {} });
  await manager.start();
  const client = await manager.client(server);
  await client.callTool({ name: "add", arguments: { a: 1, b: 2 } });
  const first = performance.now() - t0;
  const latencies = [];
  for (let i = 0; i < Number(calls); i++) {
    const t = performance.now();
    await client.callTool({ name: "add", arguments: { a: i, b: 1 } });
    latencies.push(performance.now() - t);
  }
  await manager.stop();
  console.log(JSON.stringify({ first, latencies }));
})();
`

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const p95 = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)]

const dir = tempDir('restack-bench-tools-')
try {
  const env = linkPlugins(join(dir.path, 'data'), [{name: '@restack/plugin-tools', root: join(REPO_ROOT, 'plugins/plugin-tools')}])
  runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path})
  const root = join(dir.path, 'demo')
  runCli(['g', 'tool-server', 'Calc'], {cwd: root, env})
  runCli(['g', 'tool-server', 'Web', '--transport', 'http'], {cwd: root, env})
  await installProject(root)
  await run('npx', ['tsc'], {cwd: root})
  console.log(`node ${process.version}, ${ROUNDS} rounds (median), ${CALLS} calls per round for latency`)
  for (const server of ['calc', 'web']) {
    for (const mode of ['tsx', 'compiled']) {
      const firsts: number[] = []
      const latencies: number[] = []
      for (let round = 0; round < ROUNDS; round++) {
        const result = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', PROBE, server, mode, String(CALLS)], {cwd: root, encoding: 'utf8'})
        const parsed = JSON.parse(result.stdout.trim().split('\n').pop()!)
        firsts.push(parsed.first)
        latencies.push(...parsed.latencies)
      }

      const transport = server === 'calc' ? 'stdio' : 'http '
      console.log(
        `${transport} ${mode.padEnd(8)} manager start -> first tool result: ${median(firsts).toFixed(0)} ms; round trip: median ${median(latencies).toFixed(2)} ms, p95 ${p95(latencies).toFixed(2)} ms`,
      )
    }
  }
} finally {
  dir.cleanup()
}
