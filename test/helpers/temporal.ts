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

/**
 * `temporal server start-dev` arguments for a throwaway server on 127.0.0.1, with the `engineId`
 * search attribute that Restack sets on every run it starts (restack-ai fails without it).
 */
export function devServerArgs(port: number, uiPort: number, extra: string[] = []): string[] {
  return ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort), '--log-level', 'error', '--search-attribute', 'engineId=Text', ...extra]
}
