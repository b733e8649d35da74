#!/usr/bin/env node
// bench/commit.mjs: what the crash-safe commit costs. The files `restack g function X` writes (two new
// files, three updates) are committed through the engine's journaled writeAll, and, as the floor in the
// same run, written the plain way (temp file + rename each, no journal, no fsync). Medians of N,
// interleaved, each in a fresh copy of the same tree, flushed to disk (sync) before the clock starts: a
// project's files are normally long written back when a generator runs, and an fsync on ext4 would
// otherwise also pay for flushing the copy just made.
// Run: node --import tsx bench/commit.mjs [--runs N]

import {spawnSync} from 'node:child_process'
import {cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'

import {writeAll} from '../src/engine/write.ts'

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 30
const base = mkdtempSync(join(tmpdir(), 'restack-bench-commit-'))
const sized = (kb) => 'export const x = 1 // padding\n'.repeat(Math.round((kb * 1024) / 30))
for (const [path, kb] of [['src/functions/index.ts', 0.2], ['src/services.ts', 1.5], ['.restack/ledger.json', 4.6]]) {
  mkdirSync(join(base, dirname(path)), {recursive: true})
  writeFileSync(join(base, path), sized(kb))
}

const writes = [
  {content: sized(1.2), path: 'src/functions/sendEmail.ts'},
  {content: sized(1.5), path: 'test/functions/sendEmail.test.ts'},
  {content: sized(0.25), path: 'src/functions/index.ts'},
  {content: sized(1.6), path: 'src/services.ts'},
  {content: sized(4.8), path: '.restack/ledger.json'},
]

const plain = (root) => {
  for (const {content, path} of writes) {
    mkdirSync(join(root, dirname(path)), {recursive: true})
    writeFileSync(join(root, `${path}.tmp`), content)
    renameSync(join(root, `${path}.tmp`), join(root, path))
  }
}

const cases = {'plain temp + rename (floor)': plain, 'journaled writeAll': (root) => writeAll(root, writes)}
const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]))
for (let run = 0; run < runs; run++) {
  for (const [name, fn] of Object.entries(cases)) {
    const root = join(mkdtempSync(join(tmpdir(), 'restack-bench-commit-run-')), 'p')
    cpSync(base, root, {recursive: true})
    spawnSync('sync')
    const started = process.hrtime.bigint()
    fn(root)
    samples[name].push(Number(process.hrtime.bigint() - started) / 1e6)
    rmSync(dirname(root), {force: true, recursive: true})
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const floor = median(samples['plain temp + rename (floor)'])
for (const [name, values] of Object.entries(samples)) console.log(`${name.padEnd(30)} median ${median(values).toFixed(2)} ms  ${(median(values) / floor).toFixed(2)}x`)
rmSync(base, {force: true, recursive: true})
