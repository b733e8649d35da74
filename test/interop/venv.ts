import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, renameSync, rmSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'

/** What the interop suite installs from PyPI: Restack's own Python SDK, pinned. */
export const RESTACK_AI_REQUIREMENT = 'restack-ai==0.0.121'

const cacheRoot = (): string =>
  join(process.env.RESTACK_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'restack-gen'), 'python-venvs')

/** The first Python >= 3.10 on this machine (restack-ai needs 3.10+): PATH, then pyenv's versions. */
export function findPython(): string | undefined {
  const candidates = ['python3', 'python3.13', 'python3.12', 'python3.11', 'python3.10']
  const pyenv = spawnSync('pyenv', ['root'], {encoding: 'utf8'})
  if (pyenv.status === 0) {
    const versions = spawnSync('pyenv', ['versions', '--bare'], {encoding: 'utf8'}).stdout.split('\n').filter((v) => /^3\.(1\d)/.test(v.trim()))
    candidates.push(...versions.map((version) => join(pyenv.stdout.trim(), 'versions', version.trim(), 'bin', 'python3')))
  }

  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ['-c', 'import sys, venv; print(sys.version_info >= (3, 10))'], {encoding: 'utf8'})
    if (probe.status === 0 && probe.stdout.trim() === 'True') return candidate
  }

  return undefined
}

/**
 * A virtualenv with restack-ai from PyPI (through pip and its configured index), cached by a hash of
 * the requirement and the Python version: built in a staging directory and renamed into place, so a
 * failed or concurrent build never leaves a half-made cache. Returns the venv's python.
 */
export function restackAiPython(python: string): string {
  const version = spawnSync(python, ['-c', 'import sys; print(sys.version)'], {encoding: 'utf8'}).stdout.trim()
  const key = createHash('sha256').update(JSON.stringify({requirement: RESTACK_AI_REQUIREMENT, version})).digest('hex').slice(0, 16)
  const venv = join(cacheRoot(), key)
  const venvPython = join(venv, 'bin', 'python')
  if (existsSync(join(venv, '.complete'))) return venvPython
  const staging = `${venv}.${process.pid}.tmp`
  rmSync(staging, {force: true, recursive: true})
  mkdirSync(cacheRoot(), {recursive: true})
  const step = (command: string, args: string[]): void => {
    const result = spawnSync(command, args, {encoding: 'utf8', timeout: 600_000})
    if (result.status !== 0) {
      rmSync(staging, {force: true, recursive: true})
      throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`)
    }
  }

  step(python, ['-m', 'venv', staging])
  step(join(staging, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', RESTACK_AI_REQUIREMENT])
  step(join(staging, 'bin', 'python'), ['-c', `open(${JSON.stringify(join(staging, '.complete'))}, "w").close()`])
  try {
    renameSync(staging, venv)
  } catch {
    rmSync(staging, {force: true, recursive: true}) // another run finished first
  }

  return venvPython
}
