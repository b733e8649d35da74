import type {Config} from '@oclif/core'

import {Rule} from './rule.js'

/** The custom hook through which plugins add rules: each plugin's hook returns Rule[]. */
export const DOCTOR_HOOK = 'restack:doctor'

export async function pluginRules(config: Config): Promise<{failures: string[]; rules: Rule[]}> {
  const result = await config.runHook(DOCTOR_HOOK as never, {} as never)
  const rules = result.successes.flatMap(({result: contributed}) => (Array.isArray(contributed) ? (contributed as Rule[]) : []))
  const failures = result.failures.map(({error, plugin}) => `${plugin.name}: ${error.message}`)
  return {failures, rules}
}
