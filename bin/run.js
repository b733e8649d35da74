#!/usr/bin/env node
// The compile cache exists from Node 22.1; on Node 20 it is simply absent.
import module from 'node:module'
import {fileURLToPath} from 'node:url'

module.enableCompileCache?.()
// Plugins find the host CLI's core here, even while oclif loads a plugin without a manifest (docs/plugins.md).
globalThis[Symbol.for('restack-gen.root')] = fileURLToPath(new URL('..', import.meta.url))

const {execute} = await import('@oclif/core')
await execute({dir: import.meta.url})
