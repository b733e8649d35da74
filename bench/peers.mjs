#!/usr/bin/env node
// bench/peers.mjs: `restack g function X` next to hygen and plop doing the same job in the same run,
// each in a fresh copy of one new project, interleaved with the floor (`node -e 0`).
//
// The job: write a function file and its test from a template, and register the function in
// src/functions/index.ts. The peers' templates are restack's own (templates/function/*.hbs, converted
// to hygen's EJS and plop's Handlebars helpers), so every tool writes the same text. restack does more
// than the peers: it also registers the function in src/services.ts (an AST-located edit), validates the
// name, takes the project lock and records the ledger; the peers only append the barrel line.
//
// hygen and plop are installed once, pinned, into the cache (${RESTACK_CACHE_DIR:-~/.cache/restack-gen}/
// bench-peers-<hash of the pins>), not into this repository's node_modules.
// Run: node bench/peers.mjs [--runs N] [--json]   (after `npm run build`)

import {createHash} from 'node:crypto'
import {execFileSync, spawnSync} from 'node:child_process'
import {cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {homedir, tmpdir} from 'node:os'
import {join} from 'node:path'

import {ROOT, nodeCase, parseArgs, requireFiles, runBench} from './lib.mjs'

const opts = parseArgs(process.argv.slice(2), {usage: 'Usage: node bench/peers.mjs [--runs N] [--json]'})
requireFiles(['bin/run.js', 'lib'], 'Build the CLI first: npm run build.')

const PINS = {hygen: '6.2.11', plop: '4.0.5'}

/** hygen and plop, installed once per set of pins into the cache; returns the folder holding node_modules. */
function installPeers() {
  const cacheRoot = process.env.RESTACK_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'restack-gen')
  const pkg = JSON.stringify({dependencies: PINS, name: 'restack-bench-peers', private: true}, null, 2) + '\n'
  const dir = join(cacheRoot, `bench-peers-${createHash('sha256').update(pkg).digest('hex').slice(0, 12)}`)
  if (existsSync(join(dir, 'node_modules/.installed'))) return dir
  mkdirSync(cacheRoot, {recursive: true})
  const temp = mkdtempSync(join(cacheRoot, '.tmp-bench-peers-'))
  writeFileSync(join(temp, 'package.json'), pkg)
  process.stderr.write(`bench: installing hygen ${PINS.hygen} and plop ${PINS.plop} into ${dir} (once)\n`)
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], {cwd: temp, stdio: ['ignore', 'ignore', 'inherit']})
  writeFileSync(join(temp, 'node_modules/.installed'), '')
  rmSync(dir, {force: true, recursive: true})
  renameSync(temp, dir)
  return dir
}

const template = (name) => readFileSync(join(ROOT, 'templates/function', name), 'utf8').replace(/{{#if taskQueue}}[\s\S]*?{{else}}([\s\S]*?){{\/if}}/g, '$1')
/** restack's template with hygen's EJS in place of its tokens. */
const ejs = (text) => text.replaceAll('{{names.exportName}}', '<%= h.changeCase.camel(name) %>').replaceAll('{{names.pascal}}', '<%= h.changeCase.pascal(name) %>')
/** restack's template with plop's case helpers in place of its tokens. */
const hbs = (text) => text.replaceAll('{{names.exportName}}', '{{camelCase name}}').replaceAll('{{names.pascal}}', '{{pascalCase name}}')

const peers = installPeers()
const base = mkdtempSync(join(tmpdir(), 'restack-bench-peers-'))
const created = spawnSync(process.execPath, [join(ROOT, 'bin/run.js'), 'new', 'demo', '--skip-install', '--skip-git'], {cwd: base})
if (created.status !== 0) throw new Error(`restack new failed: ${created.stderr}`)
const project = join(base, 'demo')

// hygen: _templates/function/new/{function,test,index}.ejs.t in the project.
const hygenDir = join(project, '_templates/function/new')
mkdirSync(hygenDir, {recursive: true})
writeFileSync(join(hygenDir, 'function.ejs.t'), `---\nto: src/functions/<%= h.changeCase.camel(name) %>.ts\n---\n${ejs(template('function.ts.hbs'))}`)
writeFileSync(join(hygenDir, 'test.ejs.t'), `---\nto: test/functions/<%= h.changeCase.camel(name) %>.test.ts\n---\n${ejs(template('test.ts.hbs'))}`)
writeFileSync(join(hygenDir, 'index.ejs.t'), `---\ninject: true\nto: src/functions/index.ts\nappend: true\n---\nexport * from "./<%= h.changeCase.camel(name) %>";\n`)

// plop: a plopfile with the same two files and the same barrel line.
mkdirSync(join(project, 'plop-templates'), {recursive: true})
writeFileSync(join(project, 'plop-templates/function.ts.hbs'), hbs(template('function.ts.hbs')))
writeFileSync(join(project, 'plop-templates/test.ts.hbs'), hbs(template('test.ts.hbs')))
writeFileSync(
  join(project, 'plopfile.cjs'),
  `module.exports = (plop) => {
  plop.setGenerator('function', {
    prompts: [{name: 'name', type: 'input', message: 'function name'}],
    actions: [
      {type: 'add', path: 'src/functions/{{camelCase name}}.ts', templateFile: 'plop-templates/function.ts.hbs'},
      {type: 'add', path: 'test/functions/{{camelCase name}}.test.ts', templateFile: 'plop-templates/test.ts.hbs'},
      {type: 'append', path: 'src/functions/index.ts', template: 'export * from "./{{camelCase name}}";'},
    ],
  })
}
`,
)

/** A case run in a fresh copy of the project, checked for the function file and its barrel line. */
const generate = (name, args) =>
  nodeCase(name, args, {
    check(_result, dir) {
      if (!existsSync(join(dir, 'src/functions/sendEmail.ts'))) return 'src/functions/sendEmail.ts was not written'
      if (!existsSync(join(dir, 'test/functions/sendEmail.test.ts'))) return 'test/functions/sendEmail.test.ts was not written'
      if (!readFileSync(join(dir, 'src/functions/index.ts'), 'utf8').includes('"./sendEmail"')) return 'src/functions/index.ts does not export it'
    },
    cwd: (dir) => dir,
    setup() {
      const dir = join(mkdtempSync(join(tmpdir(), 'restack-bench-run-')), 'demo')
      cpSync(project, dir, {recursive: true})
      return dir
    },
    teardown: (dir) => rmSync(join(dir, '..'), {force: true, recursive: true}),
  })

await runBench(
  {
    cases: [
      generate('restack g function X', [join(ROOT, 'bin/run.js'), 'g', 'function', 'SendEmail']),
      generate(`hygen ${PINS.hygen} function new`, [join(peers, 'node_modules/hygen/dist/bin.js'), 'function', 'new', '--name', 'SendEmail']),
      generate(`plop ${PINS.plop} function`, [join(peers, 'node_modules/plop/bin/plop.js'), '--plopfile', 'plopfile.cjs', 'function', 'SendEmail']),
    ],
    title: 'restack and its peers, one function',
  },
  opts,
)
rmSync(base, {force: true, recursive: true})
