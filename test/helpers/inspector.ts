import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'

/**
 * The MCP Inspector, pinned. 0.21.1 is the last line whose CLI mode runs on Node 20 (its package.json
 * asks for Node 22, so npm warns; the --cli path works, as these tests show); 1.x and later need 22.
 */
export const INSPECTOR = '@modelcontextprotocol/inspector@0.21.1'

const cacheRoot = (): string => join(process.env.RESTACK_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'restack-gen'), 'mcp-inspector')

/**
 * The Inspector installed from the npm registry into a folder cached by the hash of what it installs
 * and the Node major; built in a staging folder and renamed into place, so a failed or concurrent
 * install never leaves a half-made cache. Returns the path of its `mcp-inspector` script.
 */
export function inspectorCli(): string {
  const key = createHash('sha256').update(JSON.stringify({node: process.versions.node.split('.')[0], spec: INSPECTOR})).digest('hex').slice(0, 16)
  const dir = join(cacheRoot(), key)
  const cli = join(dir, 'node_modules/@modelcontextprotocol/inspector/cli/build/cli.js')
  if (existsSync(join(dir, '.complete'))) return cli
  const staging = `${dir}.${process.pid}.tmp`
  rmSync(staging, {force: true, recursive: true})
  mkdirSync(staging, {recursive: true})
  writeFileSync(join(staging, 'package.json'), '{"private": true}\n')
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--engine-strict=false', INSPECTOR], {cwd: staging, encoding: 'utf8', timeout: 600_000})
  if (result.status !== 0) {
    rmSync(staging, {force: true, recursive: true})
    throw new Error(`npm install ${INSPECTOR} failed (${result.status}):\n${result.stdout}\n${result.stderr}`)
  }

  writeFileSync(join(staging, '.complete'), `${INSPECTOR}\n`)
  try {
    renameSync(staging, dir)
  } catch {
    rmSync(staging, {force: true, recursive: true}) // another run finished first
  }

  return cli
}
