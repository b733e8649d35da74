import {join} from 'node:path'

import {quote, UserError} from '../errors.js'
import type {CommitOptions, FileAction} from '../engine/commit.js'
import {isOurs, readLedger} from '../engine/ledger.js'
import {readDisk, Tree} from '../engine/tree.js'

/** A unit file this run would rewrite with other content: the generator ran before with other options. */
export interface Replacement {
  added: number
  path: string
  removed: number
}

/**
 * Files a generator renders (intent `create`) that already exist with other content. The committer
 * would call a file of ours an `update` and overwrite it; for a unit that exists, that silently
 * replaces it (another agent's events, a pipeline turned into a plain workflow), so these are
 * conflicts. `derived` paths are compiled output the generator rewrites on purpose (a pipeline's
 * workflow after its expression changed). `redefined` paths are shared files the generator updates
 * only to define the unit again (a tool server's config entry): any change there is one too.
 */
export async function replacements(tree: Tree, derived: string[] = [], redefined: string[] = []): Promise<Replacement[]> {
  const found: Replacement[] = []
  const ledger = readLedger(tree)
  for (const change of tree.changes()) {
    if (change.content === undefined || derived.includes(change.path)) continue
    const disk = readDisk(join(tree.root, change.path))
    if (disk === undefined || disk === change.content) continue
    if (change.intent === 'update' ? !redefined.includes(change.path) : change.intent !== 'create' || !isOurs(ledger, change.path, disk)) {
      // A rendered file that is not ours (or no longer) is already a conflict for the committer.
      continue
    }

    const {diffLines} = await import('diff')
    let added = 0
    let removed = 0
    for (const part of diffLines(disk, change.content)) {
      if (part.added) added += part.count ?? 0
      if (part.removed) removed += part.count ?? 0
    }

    found.push({added, path: change.path, removed})
  }

  return found
}

/**
 * Resolves replacements like any conflict: --force overwrites, --skip keeps the files on disk (the
 * rest is written), a TTY asks per file, a dry run shows them as conflicts, and otherwise the command
 * stops with one paragraph saying what would change. Returns the action each path will show.
 */
export async function resolveReplacements(
  tree: Tree,
  found: Replacement[],
  options: Pick<CommitOptions, 'dryRun' | 'force' | 'resolveConflict' | 'skip'>,
  what: string,
): Promise<Map<string, FileAction['action']>> {
  const actions = new Map<string, FileAction['action']>()
  if (found.length === 0) return actions
  for (const file of found) {
    let action: FileAction['action']
    if (options.force) action = 'force'
    else if (options.skip) action = 'skip'
    else if (options.dryRun) action = 'conflict'
    else if (options.resolveConflict) action = (await options.resolveConflict(file.path, 'create')) === 'overwrite' ? 'force' : 'skip'
    else {
      const changes = found.map((item) => `${item.path} (+${item.added} -${item.removed} lines)`).join(', ')
      throw new UserError(
        `${what} already exists, and this run would generate it differently: it would change ${changes}. Nothing was written. Pass --force to replace ${found.length === 1 ? 'that file' : 'those files'} (add --dry-run --diff to see the exact change first), or --skip to keep ${found.length === 1 ? 'it' : 'them'} and do the rest.`,
      )
    }

    if (action === 'skip') tree.discard(file.path)
    actions.set(file.path, action)
  }

  return actions
}

export const describeUnit = (kind: string, name: string): string => `The ${kind} ${quote(name)}`
