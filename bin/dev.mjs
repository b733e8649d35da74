#!/usr/bin/env -S node --import tsx
import {execute} from '@oclif/core'
import {fileURLToPath} from 'node:url'

globalThis[Symbol.for('restack-gen.root')] = fileURLToPath(new URL('..', import.meta.url))
await execute({development: true, dir: import.meta.url})
