import {isUserError} from '../../errors.js'
import {engineAddress} from '../../server/env.js'
import {probeEngine, START_ENGINE_HINT} from '../../server/probe.js'
import {Rule} from '../rule.js'

export const engineRule: Rule = {
  description: 'the engine answers at RESTACK_ENGINE_ADDRESS (a warning when it does not: it need not run yet)',
  name: 'engine',
  needsProject: true,
  async run({env}) {
    const address = engineAddress(env)
    try {
      await probeEngine(address, 2000)
      return []
    } catch (error) {
      if (!isUserError(error)) throw error
      return [
        {
          code: 'engine/unreachable',
          fix: `${START_ENGINE_HINT.charAt(0).toUpperCase()}${START_ENGINE_HINT.slice(1)}.`,
          message: `Nothing answers at ${address}, so the service cannot start yet (${error.message.match(/\(([^)]*)\)/)?.[1] ?? 'no answer'}).`,
          severity: 'warn',
        },
      ]
    }
  },
  timeoutMs: 4000,
}
