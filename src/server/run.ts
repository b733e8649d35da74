import {ChildProcess, spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {constants} from 'node:os'

import {UserError} from '../errors.js'
import {engineAddress, serviceEnv} from './env.js'
import {probeEngine} from './probe.js'
import {hasEngineIdAttribute, missingAttributeMessage} from './search-attribute.js'

export const SERVICE_ENTRY = 'src/services.ts'

/**
 * A detached watchdog holding a pipe from this process: when the pipe closes without "done" (this
 * CLI died, kill -9 included) it sends the service SIGTERM, then SIGKILL after 5 s, so the service
 * (and, through its tool manager, its tool servers) never outlives \`restack run:server\`.
 */
const WATCHDOG = `
let done = false;
process.stdin.on("data", (chunk) => { if (String(chunk).includes("done")) done = true; });
process.stdin.on("end", () => {
  const pid = Number(process.argv[1]);
  if (done) process.exit(0);
  try { process.kill(pid, "SIGTERM"); } catch { process.exit(0); }
  const deadline = Date.now() + 5000;
  const timer = setInterval(() => {
    try { process.kill(pid, 0); } catch { process.exit(0); }
    if (Date.now() > deadline) { try { process.kill(pid, "SIGKILL"); } catch {} process.exit(0); }
  }, 50);
});
process.on("SIGINT", () => undefined);
`

function watchService(service: ChildProcess): void {
  const watchdog = spawn(process.execPath, ['-e', WATCHDOG, String(service.pid)], {detached: true, stdio: ['pipe', 'ignore', 'ignore']})
  watchdog.on('error', () => {})
  watchdog.stdin.on('error', () => {})
  watchdog.unref()
  ;(watchdog.stdin as unknown as {unref?: () => void}).unref?.()
  service.once('exit', () => watchdog.stdin.end('done\n'))
}

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
  if (child.pid !== undefined) watchService(child)
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
