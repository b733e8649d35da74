#!/usr/bin/env node
// bench/startup.mjs: how fast `restack` starts, as a ratio of `node -e 0` measured in the same run.
// Targets (DESIGN §11): --version and --help within 2.5x of the floor.
// Run: node bench/startup.mjs [--runs N] [--json]   (after `npm run build`)

import {nodeCase, parseArgs, requireFiles, runBench} from './lib.mjs'

const opts = parseArgs(process.argv.slice(2), {usage: 'Usage: node bench/startup.mjs [--runs N] [--json]'})
requireFiles(['bin/run.js', 'lib'], 'Build the CLI first: npm run build.')

const cases = [
  nodeCase('restack --version', ['bin/run.js', '--version'], {target: 2.5}),
  nodeCase('restack --help', ['bin/run.js', '--help'], {target: 2.5}),
  // Tab completion: the command bash's completion function runs on each <Tab>. Replace this
  // placeholder with the real invocation once @oclif/plugin-autocomplete (with entity-name
  // completion for destroy) is wired in, and drop `pending`.
  nodeCase('restack <Tab> completion', ['bin/run.js', 'autocomplete:TODO'], {pending: true}),
]

await runBench({title: 'restack startup', cases}, opts)
