import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

/**
 * Links plugins (folders with a package.json) into the CLI the way `restack plugins link` does: a
 * package.json in a data dir the CLI is pointed at with RESTACK_DATA_DIR. Returns that env.
 */
export function linkPlugins(dataDir: string, plugins: Array<{name: string; root: string}>): NodeJS.ProcessEnv {
  mkdirSync(dataDir, {recursive: true})
  writeFileSync(join(dataDir, 'package.json'), JSON.stringify({oclif: {plugins: plugins.map((plugin) => ({...plugin, type: 'link'}))}}, null, 2))
  return {RESTACK_DATA_DIR: dataDir}
}
