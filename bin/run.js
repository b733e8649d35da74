#!/usr/bin/env node
// CommonJS (bin/package.json): Node starts a CommonJS entry faster than an ES module one, and the
// CLI's bundles are CommonJS too (scripts/build.mjs).
'use strict'

const Module = require('node:module')
const {join} = require('node:path')

// The compile cache exists from Node 22.1; on Node 20 it is simply absent (bin/code-cache.cjs stands in).
Module.enableCompileCache?.()
const root = join(__dirname, '..')

// `restack --version` prints oclif's line (name/version platform-arch node-version) without loading
// oclif when nothing could change the outcome: no installed or linked plugin (whose init hook runs, or
// whose version restack warns about). Anything unusual (DEBUG, Windows, an unreadable data dir) goes to oclif.
const quick = process.argv.length === 3 && process.argv[2] === '--version' && !process.env.DEBUG && process.platform !== 'win32'
const line = quick ? require('./version.js').versionLine(root) : undefined
if (line) process.stdout.write(`${line}\n`)
else oclif()

function oclif() {
  // Plugins find the host CLI's core here, even while oclif loads a plugin without a manifest (docs/plugins.md).
  globalThis[Symbol.for('restack-gen.root')] = root

  // `restack plugins:install` (and the npm install of `restack new`) use this registry when it is set.
  if (process.env.RESTACK_NPM_REGISTRY) process.env.npm_config_registry = process.env.RESTACK_NPM_REGISTRY

  // Installed and linked plugins ship compiled JavaScript (lib/ and a manifest): never look for their
  // TypeScript sources, and so never warn that a linked ESM plugin "cannot be auto-transpiled".
  globalThis.oclif = {...globalThis.oclif, enableAutoTranspile: false}

  // The commands, hooks and help are CommonJS bundles and lib/vendor.cjs holds @oclif/core (scripts/build.mjs):
  // compiled through a V8 code cache where Node has no compile cache of its own (bin/code-cache.cjs).
  if (!Module.enableCompileCache) {
    const codeCache = require('./code-cache.cjs')
    codeCache.install(codeCache.libDirOf(root), codeCache.commandGroup(process.argv.slice(2)))
  }

  // import() as this module runs it: oclif loads ESM plugins with it, which code-cached scripts cannot do.
  globalThis[Symbol.for('restack-gen.import')] = (specifier) => import(specifier)
  const {execute} = require('../lib/vendor.cjs')('@oclif/core')
  // One of restack's own commands with no plugin installed: oclif without the core plugins it cannot need.
  const loadOptions = require('./own-command.js').ownCommandLoadOptions(root, process.argv.slice(2))
  // Otherwise oclif finds the CLI's package.json from here (bin/ has one of its own: it only says "commonjs").
  return execute(loadOptions ? {loadOptions} : {dir: join(root, 'package.json')})
}
