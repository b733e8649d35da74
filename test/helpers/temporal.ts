import {spawnSync} from 'node:child_process'
import {join} from 'node:path'

import {REPO_ROOT} from './cli.js'

let cached: null | string | undefined

/**
 * The Temporal CLI for engine tests: TEMPORAL_CLI_PATH, else what scripts/temporal-cli finds or
 * installs from a registry. Undefined (with a loud message) when there is none.
 */
export function temporalCliPath(): string | undefined {
  if (cached !== undefined) return cached ?? undefined
  const result = spawnSync(join(REPO_ROOT, 'scripts/temporal-cli'), ['--quiet'], {encoding: 'utf8'})
  cached = result.status === 0 ? result.stdout.trim() : null
  if (cached === null) {
    process.stderr.write(
      `\n!!! No Temporal CLI: engine tests are SKIPPED. scripts/temporal-cli said:\n${result.stderr}\n!!! Set TEMPORAL_CLI_PATH to a temporal binary to run them.\n\n`,
    )
  }

  return cached ?? undefined
}
