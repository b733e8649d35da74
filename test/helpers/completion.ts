import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, symlinkSync} from 'node:fs'
import {join} from 'node:path'

import {BIN, runCli} from './cli.js'

export const BASH_COMPLETION = '/usr/share/bash-completion/bash_completion'

/** An environment where `restack` is on PATH and its completion cache is built, under `dir`. */
export function completionEnv(dir: string): NodeJS.ProcessEnv {
  const bin = join(dir, 'completion-bin')
  mkdirSync(bin, {recursive: true})
  if (!existsSync(join(bin, 'restack'))) symlinkSync(BIN, join(bin, 'restack'))
  const env = {...process.env, HOME: dir, PATH: `${bin}:${process.env.PATH}`, XDG_CACHE_HOME: join(dir, 'cache')}
  const created = runCli(['autocomplete', 'bash', '--refresh-cache'], {cwd: dir, env})
  if (created.status !== 0) throw new Error(created.stderr)
  return env
}

/**
 * The words real bash offers after `words` (COMP_WORDS split as bash splits them, ':' a word of its
 * own), with Debian's bash-completion and the script `restack autocomplete:script bash` prints.
 */
export function completeInBash(words: string[], cwd: string, env: NodeJS.ProcessEnv): string[] {
  const script = [
    `source ${BASH_COMPLETION}`,
    'eval "$(restack autocomplete:script bash)"',
    `COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')})`,
    `COMP_CWORD=${words.length - 1}`,
    `COMP_LINE='${words.join(' ').replaceAll(' : ', ':')}'`,
    'COMP_POINT=${#COMP_LINE}',
    '_restack_dynamic',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n')
  const result = spawnSync('bash', ['--norc', '-c', script], {cwd, encoding: 'utf8', env})
  if (result.status !== 0) throw new Error(result.stderr)
  return result.stdout.split('\n').filter(Boolean).sort()
}
