#!/usr/bin/env node
// The compile cache exists from Node 22.1; on Node 20 it is simply absent.
import module from 'node:module'

module.enableCompileCache?.()

const {execute} = await import('@oclif/core')
await execute({dir: import.meta.url})
