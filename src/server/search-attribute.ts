import {spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join} from 'node:path'

/** The Text search attribute Restack sets on every run, child and schedule it starts. */
export const ENGINE_ID_ATTRIBUTE = 'engineId'

/** One paragraph: what is missing, why it matters, how to add it. */
export const missingAttributeMessage = (address: string): string =>
  `The engine at ${address} has no "${ENGINE_ID_ATTRIBUTE}" search attribute, which Restack sets on every run, child and schedule it starts, so those starts would fail with "no mapping defined for search attribute engineId". Add it once with "temporal operator search-attribute create --name ${ENGINE_ID_ATTRIBUTE} --type Text --address ${address}", or start the dev server with "temporal server start-dev --search-attribute ${ENGINE_ID_ATTRIBUTE}=Text" (a Restack engine has it already).`

// Runs in the project with its own @temporalio/client: the CLI itself does not depend on Temporal's SDK.
const PROBE = `
const { Connection } = require("@temporalio/client");
(async () => {
  const connection = await Connection.connect({ address: process.argv[1], connectTimeout: 5000 });
  try {
    const answer = await connection.operatorService.listSearchAttributes({ namespace: "default" });
    const all = { ...answer.customAttributes, ...answer.systemAttributes };
    process.stdout.write(JSON.stringify({ found: Object.hasOwn(all, process.argv[2]) }));
  } finally {
    await connection.close();
  }
})().catch((error) => process.stdout.write(JSON.stringify({ error: String(error && error.message || error) })));
`

/**
 * Whether the engine at `address` has the `engineId` search attribute: `true`/`false`, or
 * `undefined` when that cannot be told (the project's dependencies are not installed, the engine
 * does not answer the operator call, or it is a Restack Cloud engine reached with an API key).
 */
export async function hasEngineIdAttribute(root: string, address: string, env: NodeJS.ProcessEnv, timeoutMs = 8000): Promise<boolean | undefined> {
  if (env.RESTACK_ENGINE_API_KEY?.trim()) return undefined
  if (!existsSync(join(root, 'node_modules', '@temporalio', 'client'))) return undefined
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', PROBE, address, ENGINE_ID_ATTRIBUTE], {cwd: root, stdio: ['ignore', 'pipe', 'ignore']})
    let output = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.stdout.on('data', (chunk) => (output += chunk))
    child.once('error', () => resolve(undefined))
    child.once('close', () => {
      clearTimeout(timer)
      try {
        const answer = JSON.parse(output) as {error?: string; found?: boolean}
        resolve(typeof answer.found === 'boolean' ? answer.found : undefined)
      } catch {
        resolve(undefined)
      }
    })
  })
}
