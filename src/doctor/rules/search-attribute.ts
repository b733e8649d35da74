import {isUserError} from '../../errors.js'
import {engineAddress} from '../../server/env.js'
import {probeEngine} from '../../server/probe.js'
import {ENGINE_ID_ATTRIBUTE, hasEngineIdAttribute, missingAttributeMessage} from '../../server/search-attribute.js'
import {Rule} from '../rule.js'

export const searchAttributeRule: Rule = {
  description: `the engine has the "${ENGINE_ID_ATTRIBUTE}" search attribute that Restack sets on every run (checked when the engine answers)`,
  name: 'search-attribute',
  needsProject: true,
  async run({env, project}) {
    const address = engineAddress(env)
    try {
      await probeEngine(address, 2000)
    } catch (error) {
      if (isUserError(error)) return [] // the engine rule reports an engine that does not answer
      throw error
    }

    if ((await hasEngineIdAttribute(project!.root, address, env)) !== false) return []
    const [message, fix] = missingAttributeMessage(address).split(/ (?=Add it once)/)
    return [{code: 'engine/no-engine-id-search-attribute', fix, message, severity: 'error'}]
  },
  timeoutMs: 12_000,
}
