import type {Hook} from '@oclif/core'

/** Where plugin modules find the host CLI, at load time: `globalThis[CORE_ROOT]` (see docs/plugins.md). */
export const CORE_ROOT = Symbol.for('restack-gen.root')

// bin/run.js sets it first thing (oclif imports the commands of a plugin without a manifest while it
// loads its config); this hook covers programmatic runs. It loads nothing itself: startup stays lean.
const hook: Hook.Init = async function () {
  ;(globalThis as Record<symbol, unknown>)[CORE_ROOT] = this.config.root
}

export default hook
