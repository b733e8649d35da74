#!/usr/bin/env node
// bench/new.mjs: `restack new x --skip-install --skip-git` in a fresh temp dir per run (removed
// after the run; creating and removing it is not timed), as a ratio of `node -e 0` in the same run.
// Run: node bench/new.mjs [--runs N] [--json]   (after `npm run build`)

import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {ROOT, freshTempDir, nodeCase, parseArgs, requireFiles, runBench} from './lib.mjs'

const opts = parseArgs(process.argv.slice(2), {usage: 'Usage: node bench/new.mjs [--runs N] [--json]'})
requireFiles(['bin/run.js', 'lib'], 'Build the CLI first: npm run build.')

const cases = [
  nodeCase('restack new x --skip-install --skip-git', [join(ROOT, 'bin/run.js'), 'new', 'x', '--skip-install', '--skip-git'], {
    ...freshTempDir('restack-bench-new-'),
    check: (_result, dir) => (existsSync(join(dir, 'x', 'package.json')) ? undefined : 'x/package.json was not written'),
  }),
]

await runBench({title: 'restack new', cases}, opts)
