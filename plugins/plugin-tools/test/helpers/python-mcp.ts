import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'

/** The official Python MCP SDK, pinned: the real third-party client the generated servers must serve. */
export const PYTHON_MCP_REQUIREMENT = 'mcp==2.3.0'

const cacheRoot = (): string => process.env.RESTACK_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'restack-gen')

const python = (): string | undefined =>
  ['python3', 'python'].find((candidate) => spawnSync(candidate, ['-c', 'import sys, venv; assert sys.version_info >= (3, 10)']).status === 0)

/**
 * A virtualenv with the Python MCP SDK, cached by the hash of the requirement and the interpreter's
 * version under ${RESTACK_CACHE_DIR:-~/.cache/restack-gen}; built in a staging directory and renamed
 * into place, so a half-built one is never used. Returns its python, or undefined (with the reason)
 * when there is no Python >= 3.10 or the install failed.
 */
export function pythonMcp(): {python?: string; reason?: string} {
  const base = python()
  if (!base) return {reason: 'no python3 >= 3.10 with venv on PATH'}
  const version = spawnSync(base, ['-c', 'import sys; print(sys.version)'], {encoding: 'utf8'}).stdout.trim()
  const key = createHash('sha256').update(`${PYTHON_MCP_REQUIREMENT}\n${version}`).digest('hex').slice(0, 16)
  const dir = join(cacheRoot(), `python-mcp-${key}`)
  const ready = (root: string) => existsSync(join(root, '.complete'))
  if (ready(dir)) return {python: join(dir, 'bin', 'python')}
  const staging = `${dir}.${process.pid}.tmp`
  rmSync(staging, {force: true, recursive: true})
  const steps: Array<[string, string[]]> = [
    [base, ['-m', 'venv', staging]],
    [join(staging, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', PYTHON_MCP_REQUIREMENT]],
  ]
  for (const [command, args] of steps) {
    const result = spawnSync(command, args, {encoding: 'utf8', timeout: 300_000})
    if (result.status !== 0) {
      rmSync(staging, {force: true, recursive: true})
      return {reason: `${command} ${args.join(' ')} failed: ${(result.stderr || result.stdout || String(result.error)).trim().slice(-1000)}`}
    }
  }

  writeFileSync(join(staging, '.complete'), `${PYTHON_MCP_REQUIREMENT}\n`)
  try {
    renameSync(staging, dir)
  } catch {
    // another run got there first: use its copy
    rmSync(staging, {force: true, recursive: true})
  }

  return {python: join(dir, 'bin', 'python')}
}
