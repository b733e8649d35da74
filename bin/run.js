#!/usr/bin/env node
// The compile cache exists from Node 22.1; on Node 20 it is simply absent.
import module from 'node:module'
import {fileURLToPath} from 'node:url'

module.enableCompileCache?.()
// Plugins find the host CLI's core here, even while oclif loads a plugin without a manifest (docs/plugins.md).
globalThis[Symbol.for('restack-gen.root')] = fileURLToPath(new URL('..', import.meta.url))

// `restack plugins:install` (and the npm install of `restack new`) use this registry when it is set.
if (process.env.RESTACK_NPM_REGISTRY) process.env.npm_config_registry = process.env.RESTACK_NPM_REGISTRY

// Installed and linked plugins ship compiled JavaScript (lib/ and a manifest): never look for their
// TypeScript sources, and so never warn that a linked ESM plugin "cannot be auto-transpiled".
globalThis.oclif = {...globalThis.oclif, enableAutoTranspile: false}

// lib/cli.js is @oclif/core bundled with the commands (scripts/build.mjs).
const {execute} = await import('../lib/cli.js')
await execute({dir: import.meta.url})
