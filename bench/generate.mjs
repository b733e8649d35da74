#!/usr/bin/env node
// bench/generate.mjs: `restack g function X` in a fresh copy of a new project per run, as a ratio of
// `node -e 0` in the same run (target DESIGN §11: within 3x), then the registration edit alone
// (services.ts + barrel) at 10, 100 and 1,000 registered functions (target: under 50 ms at 1,000).
// Run: node bench/generate.mjs [--runs N] [--json]   (after `npm run build`)

import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {ROOT, generateFunctionCase, parseArgs, requireFiles, runBench, stats} from './lib.mjs'

const opts = parseArgs(process.argv.slice(2), {usage: 'Usage: node bench/generate.mjs [--runs N] [--json]'})
requireFiles(['bin/run.js', 'lib'], 'Build the CLI first: npm run build.')

const base = mkdtempSync(join(tmpdir(), 'restack-bench-generate-'))
const created = spawnSync(process.execPath, [join(ROOT, 'bin/run.js'), 'new', 'demo', '--skip-install', '--skip-git'], {cwd: base})
if (created.status !== 0) throw new Error(`restack new failed: ${created.stderr}`)

await runBench(
  {
    cases: [
      generateFunctionCase(base, 3),
    ],
    title: 'restack generate',
  },
  opts,
)

// The registration edit alone, in-process: parse, find the anchors, splice, for services.ts and the barrel.
const {registerFunction} = await import(join(ROOT, 'lib/ast/services.js'))
const {addBarrelExport} = await import(join(ROOT, 'lib/ast/barrel.js'))
const servicesSource = (count) => {
  const names = Array.from({length: count}, (_, index) => `fn${index}`)
  return `import { client } from "./client";\nimport {\n${names.map((name) => `  ${name},`).join('\n')}\n} from "./functions";\n\nasync function services() {\n  await Promise.all([\n    client.startService({\n      agentsPath: require.resolve("./agents"),\n      workflowsPath: require.resolve("./workflows"),\n      functions: {\n${names.map((name) => `        ${name},`).join('\n')}\n      },\n      taskQueue: "restack",\n    }),\n  ]);\n}\n\nservices();\n`
}

const barrelSource = (count) => Array.from({length: count}, (_, index) => `export * from "./fn${index}";\n`).join('')
const scale = []
for (const count of [10, 100, 1000]) {
  const services = servicesSource(count)
  const barrel = barrelSource(count)
  const edit = () => {
    registerFunction(services, {defaultQueue: 'restack', name: 'sendEmail'})
    addBarrelExport(barrel, 'src/functions/index.ts', 'sendEmail')
  }

  for (let index = 0; index < 5; index++) edit()
  const times = Array.from({length: Math.max(opts.runs, 20)}, () => {
    const start = process.hrtime.bigint()
    edit()
    return Number(process.hrtime.bigint() - start) / 1e6
  })
  scale.push({bytes: services.length + barrel.length, count, ...stats(times)})
}

rmSync(base, {force: true, recursive: true})
if (opts.json) {
  console.log(JSON.stringify({registrationEdit: scale}, null, 2))
} else {
  console.log('\nregistration edit (services.ts + barrel), in-process, target < 50 ms at 1,000:')
  for (const row of scale) {
    console.log(`  ${String(row.count).padStart(5)} registered  ${String(row.bytes).padStart(7)} bytes  median ${row.median.toFixed(2)} ms  (min ${row.min.toFixed(2)}, max ${row.max.toFixed(2)})`)
  }

  console.log(`  growth 10 -> 1,000: ${(scale[2].median / scale[0].median).toFixed(1)}x time for ${(scale[2].bytes / scale[0].bytes).toFixed(1)}x bytes`)
}
