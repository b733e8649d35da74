import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseEnv} from 'node:util'

/** The environment for the service: `.env` under the variables already set (those win). */
export function serviceEnv(root: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const file = join(root, '.env')
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {}
  return {...fromFile, ...base}
}

export const DEFAULT_ENGINE_ADDRESS = 'localhost:7233'

export const engineAddress = (env: NodeJS.ProcessEnv): string => env.RESTACK_ENGINE_ADDRESS?.trim() || DEFAULT_ENGINE_ADDRESS
