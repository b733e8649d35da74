#!/usr/bin/env node
// bench/startup.mjs: how fast `restack` starts and generates, as a ratio of `node -e 0` measured in the
// same run: --version (target 2.0x), --help (2.2x), `g function X` in a fresh copy of a new project (3.0x).
// Run: node bench/startup.mjs [--runs N] [--json]   (after `npm run build`)

import {execFileSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {ROOT, generateFunctionCase, nodeCase, parseArgs, requireFiles, runBench} from './lib.mjs'

const opts = parseArgs(process.argv.slice(2), {usage: 'Usage: node bench/startup.mjs [--runs N] [--json]'})
requireFiles(['bin/run.js', 'lib'], 'Build the CLI first: npm run build.')

const base = mkdtempSync(join(tmpdir(), 'restack-bench-startup-'))
execFileSync(process.execPath, [join(ROOT, 'bin/run.js'), 'new', 'demo', '--skip-install', '--skip-git'], {cwd: base, stdio: 'ignore'})

const cases = [
  nodeCase('restack --version', ['bin/run.js', '--version'], {target: 2.0}),
  nodeCase('restack --help', ['bin/run.js', '--help'], {target: 2.2}),
  generateFunctionCase(base, 3.0),
  ...tabCase(),
]

/**
 * A Tab: bash (with Debian's bash-completion, as a user's shell has it) sourcing the completion script
 * and running the completion function for `restack d agent <Tab>`. The script is generated once, as a
 * shell does at start-up; a Tab itself starts no node.
 */
function tabCase() {
  const helpers = '/usr/share/bash-completion/bash_completion'
  if (!existsSync(helpers)) return [nodeCase('restack <Tab> completion (needs bash-completion)', [], {pending: true})]
  const dir = mkdtempSync(join(tmpdir(), 'restack-bench-tab-'))
  const env = {...process.env, XDG_CACHE_HOME: join(dir, 'cache')}
  execFileSync(process.execPath, [join(ROOT, 'bin/run.js'), 'autocomplete', 'bash', '--refresh-cache'], {env, stdio: 'ignore'})
  execFileSync(process.execPath, [join(ROOT, 'bin/run.js'), 'new', 'demo', '--skip-install', '--skip-git'], {cwd: dir, env, stdio: 'ignore'})
  const script = join(dir, 'completion.bash')
  writeFileSync(script, execFileSync(process.execPath, [join(ROOT, 'bin/run.js'), 'autocomplete:script', 'bash'], {env}))
  const tab = `source ${helpers}; source ${script}; COMP_WORDS=(restack d agent ''); COMP_CWORD=3; _restack_dynamic; [[ \${COMPREPLY[0]} == greeter ]]`
  return [{args: ['--norc', '-c', tab], command: 'bash', cwd: join(dir, 'demo'), env, name: 'restack <Tab> completion (bash)', target: 2.5}]
}

await runBench({title: 'restack startup', cases}, opts)
rmSync(base, {force: true, recursive: true})
