// The host CLI's engine, loaded at run time so that a CLI has one engine and one version of it
// (docs/plugins.md). Types come from the core's build (lib/index.d.ts).
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import type * as Core from '../../../lib/index.js'

// bin/run.js sets the host's root before oclif loads plugin commands. Without it (oclif's manifest
// step in this repository's build), the plugin sits at plugins/plugin-tools under the core.
const inRepo = fileURLToPath(new URL('../../../', import.meta.url))
const root =
  (globalThis as Record<symbol, string | undefined>)[Symbol.for('restack-gen.root')] ?? (existsSync(join(inRepo, 'lib/index.js')) ? inRepo : undefined)
if (!root) throw new Error('@restack/plugin-tools runs inside the restack CLI: install it with "restack plugins install @restack/plugin-tools".')
export const core: typeof Core = await import(pathToFileURL(join(root, 'lib/index.js')).href)
export type {Core}
