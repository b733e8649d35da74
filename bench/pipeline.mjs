#!/usr/bin/env node
// bench/pipeline.mjs: pipeline compile time (parse + resolve + codegen, in-process) for expressions of
// 10, 200 and 2,000 steps mixing →, ⇄ and →?. Target (DESIGN §11): a 200-step expression under 20 ms.
// Run: node bench/pipeline.mjs [--runs N] [--json]   (after `npm run build`)

import {join} from 'node:path'

import {ROOT, parseArgs, requireFiles, stats} from './lib.mjs'

const opts = parseArgs(process.argv.slice(2), {usage: 'Usage: node bench/pipeline.mjs [--runs N] [--json]'})
requireFiles(['lib/pipeline/parser.js'], 'Build the CLI first: npm run build.')
const {parsePipeline} = await import(join(ROOT, 'lib/pipeline/parser.js'))
const {resolveSteps} = await import(join(ROOT, 'lib/pipeline/resolve.js'))
const {generatePipeline} = await import(join(ROOT, 'lib/pipeline/codegen.js'))

/** S0 → S1 ⇄ S2 → S3 →? (S4, S5) → S6 ... : every construct, `count` steps. */
function expression(count) {
  const parts = []
  let index = 0
  const name = () => `Step${index++}`
  while (index < count) {
    const kind = parts.length % 3
    if (kind === 1 && count - index >= 2) parts.push(`${name()} ⇄ ${name()}`)
    else if (kind === 2 && count - index >= 3) parts.push(`${name()} →? (${name()}, ${name()})`)
    else parts.push(name())
  }

  return parts.join(' → ')
}

const compile = (source) => {
  const root = parsePipeline(source)
  const steps = resolveSteps(root, [], {defaultQueue: 'restack', pipelines: new Set(), scaffoldMissing: true})
  return generatePipeline({exportName: 'benchPipeline', expression: source, loopMax: () => 3, pascal: 'BenchPipeline', root, steps}).source
}

const rows = []
for (const count of [10, 200, 2000]) {
  const source = expression(count)
  for (let index = 0; index < 5; index++) compile(source)
  const times = Array.from({length: Math.max(opts.runs, 20)}, () => {
    const start = process.hrtime.bigint()
    compile(source)
    return Number(process.hrtime.bigint() - start) / 1e6
  })
  rows.push({chars: source.length, steps: count, ...stats(times)})
}

if (opts.json) {
  console.log(JSON.stringify({node: process.version, pipelineCompile: rows}, null, 2))
} else {
  console.log(`pipeline compile (parse + resolve + codegen), in-process, node ${process.version}; target: 200 steps < 20 ms`)
  for (const row of rows) {
    console.log(`  ${String(row.steps).padStart(5)} steps  ${String(row.chars).padStart(6)} chars  median ${row.median.toFixed(2)} ms  (min ${row.min.toFixed(2)}, max ${row.max.toFixed(2)})`)
  }
}
