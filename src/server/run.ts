import {spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {constants} from 'node:os'

import {UserError} from '../errors.js'
import {engineAddress, serviceEnv} from './env.js'
import {probeEngine} from './probe.js'
import {hasEngineIdAttribute, missingAttributeMessage} from './search-attribute.js'

export const SERVICE_ENTRY = 'src/services.ts'

/**
 * Runs the project's service in the foreground with `.env` loaded: checks the engine answers first
 * and has the `engineId` search attribute Restack needs,
 * forwards SIGINT/SIGTERM, and resolves with the exit code to exit with.
 */
export async function runService(root: string): Promise<number> {
  const env = serviceEnv(root)
  if (!existsSync(join(root, SERVICE_ENTRY))) {
    throw new UserError(`This project has no ${SERVICE_ENTRY}, which "restack run:server" runs. Restore it from a fresh "restack new", or start your own entry with "npx tsx <file>".`)
  }

  if (!existsSync(join(root, 'node_modules', 'tsx'))) {
    throw new UserError('The project\'s dependencies are not installed (node_modules/tsx is missing). Run "npm install" in the project first.')
  }

  const address = engineAddress(env)
  await probeEngine(address)
  if ((await hasEngineIdAttribute(root, address, env)) === false) throw new UserError(missingAttributeMessage(address))
  const child = spawn(process.execPath, ['--import', 'tsx', SERVICE_ENTRY], {cwd: root, env, stdio: 'inherit'})
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal)
  const onInt = forward('SIGINT')
  const onTerm = forward('SIGTERM')
  process.on('SIGINT', onInt)
  process.on('SIGTERM', onTerm)
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', reject)
      child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 1)))
    })
  } finally {
    process.off('SIGINT', onInt)
    process.off('SIGTERM', onTerm)
  }
}
