// The host CLI's engine, loaded at run time: one engine (and one version of it) per CLI, as
// docs/plugins.md describes. Only types are imported at build time, from the core's lib/.
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import type * as Core from '../../../lib/index.js'

// bin/run.js sets the host's root before oclif loads plugin commands; in this repository (oclif's
// manifest step during the build) the plugin sits at plugins/plugin-llm under the core.
const inRepo = fileURLToPath(new URL('../../../', import.meta.url))
const root =
  (globalThis as Record<symbol, string | undefined>)[Symbol.for('restack-gen.root')] ?? (existsSync(join(inRepo, 'lib/index.js')) ? inRepo : undefined)
if (!root) throw new Error('@restack/plugin-llm runs inside the restack CLI: install it with "restack plugins install @restack/plugin-llm".')
export const core: typeof Core = await import(pathToFileURL(join(root, 'lib/index.js')).href)
export type {Core}
