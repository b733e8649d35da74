import type {Hook} from '@oclif/core'

/** Where plugin modules find the host CLI, at load time: `globalThis[CORE_ROOT]` (see docs/plugins.md). */
export const CORE_ROOT = Symbol.for('restack-gen.root')

/**
 * bin/run.js publishes the core root first thing (oclif imports the commands of a plugin without a
 * manifest while it loads its config); this covers programmatic runs. Then a warning for each
 * installed or linked plugin made for another core version. semver loads only when there is one.
 */
const hook: Hook.Init = async function () {
  ;(globalThis as Record<symbol, unknown>)[CORE_ROOT] = this.config.root
  const installed = [...this.config.plugins.values()].filter(
    (plugin) => (plugin.type === 'user' || plugin.type === 'link') && plugin.pjson.peerDependencies?.['restack-gen'],
  )
  if (installed.length === 0) return
  const {default: satisfies} = await import('semver/functions/satisfies.js')
  for (const plugin of installed) {
    const range = plugin.pjson.peerDependencies!['restack-gen']
    if (satisfies(this.config.version, range, {includePrerelease: true})) continue
    this.warn(
      `${plugin.name} ${plugin.version} is made for restack-gen ${range}, and this is restack-gen ${this.config.version}; its commands may fail. Run "restack plugins:update", or install a version of ${plugin.name} made for this one.`,
    )
  }
}

export default hook
