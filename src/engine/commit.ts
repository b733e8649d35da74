import {AsyncLocalStorage} from 'node:async_hooks'
import {join} from 'node:path'

import {quote, UserError} from '../errors.js'
import {sha256} from './hash.js'
import {isOurs, LEDGER_PATH, readLedger, serializeLedger} from './ledger.js'
import {Intent, readDisk, Tree} from './tree.js'
import {FileWrite, writeAll} from './write.js'

export type Action = 'conflict' | 'create' | 'delete' | 'force' | 'identical' | 'skip' | 'update'

export interface FileAction {
  action: Action
  /** a unified diff of the change, for updates and overwrites with --diff */
  diff?: string
  path: string
  template?: string
}

export interface CommitOptions {
  /** who writes: recorded in the ledger for every file created */
  by: string
  /** attach unified diffs of updates and overwrites */
  diff?: boolean
  dryRun?: boolean
  force?: boolean
  /** asked per conflicting file on a TTY when neither --force nor --skip is given */
  resolveConflict?: (path: string, intent: Intent) => Promise<'overwrite' | 'skip'>
  skip?: boolean
}

export interface CommitResult {
  dryRun: boolean
  files: FileAction[]
}

/**
 * A look at a commit before anything is written, for a caller that drives a command (restack mcp):
 * it sees the tree and the resolved plan inside the command's lock, may refuse by throwing (nothing
 * is written), and `dryRun` stops every commit in its scope at the plan.
 */
export interface CommitGuard {
  dryRun?: boolean
  inspect(tree: Tree, files: FileAction[]): Promise<void> | void
}

// One store per process, even when a plugin's copy of this module (lib/index.js) commits while the
// bundled copy set the guard: both find it under the same global key.
const GUARDS = Symbol.for('restack-gen.commit-guards')
const guards = (): AsyncLocalStorage<CommitGuard> =>
  ((globalThis as Record<symbol, AsyncLocalStorage<CommitGuard> | undefined>)[GUARDS] ??= new AsyncLocalStorage<CommitGuard>())

/** Runs `fn` with `guard` looking at every commit made inside it (and nowhere else). */
export const withCommitGuard = <T>(guard: CommitGuard, fn: () => Promise<T>): Promise<T> => guards().run(guard, fn)

/** Compares the tree with the disk: what a real run would do to each path, conflicts unresolved. */
export function classify(tree: Tree): FileAction[] {
  const ledger = readLedger(tree)
  const actions: FileAction[] = []
  for (const change of tree.changes()) {
    if (change.path === LEDGER_PATH) continue
    const disk = readDisk(join(tree.root, change.path))
    const entry = (action: Action): FileAction => ({action, path: change.path, template: change.template})
    if (change.intent === 'delete') {
      // Only a file unchanged since we generated it is ours to delete.
      if (disk !== undefined) actions.push(entry(isOurs(ledger, change.path, disk) ? 'delete' : 'conflict'))
    } else if (disk === undefined) {
      actions.push(entry('create'))
    } else if (disk === change.content) {
      actions.push(entry('identical'))
    } else if (change.intent === 'update' || isOurs(ledger, change.path, disk)) {
      actions.push(entry('update'))
    } else {
      actions.push(entry('conflict'))
    }
  }

  return actions
}

/**
 * The one path every command shares: classify, resolve conflicts, then either stop (dry run) or
 * write everything atomically together with the ledger.
 */
export async function commit(tree: Tree, given: CommitOptions): Promise<CommitResult> {
  const guard = guards().getStore()
  const options = guard?.dryRun ? {...given, dryRun: true} : given
  const intents = new Map(tree.changes().map((change) => [change.path, change.intent]))
  const files = await resolveConflicts(classify(tree), options, intents)
  if (options.diff) await attachDiffs(tree, files)
  if (guard) await guard.inspect(tree, files)
  if (options.dryRun) return {dryRun: true, files}

  const writing = new Set(files.filter((file) => ['create', 'delete', 'force', 'update'].includes(file.action)).map((f) => f.path))
  const writes: FileWrite[] = tree
    .changes()
    .filter((change) => writing.has(change.path))
    .map((change) => ({content: change.content, path: change.path}))

  const ledgerText = nextLedger(tree, files, options.by)
  if (ledgerText !== undefined) writes.push({content: ledgerText, path: LEDGER_PATH})

  writeAll(tree.root, writes)
  return {dryRun: false, files}
}

async function attachDiffs(tree: Tree, files: FileAction[]): Promise<void> {
  const {createTwoFilesPatch} = await import('diff')
  const contents = new Map(tree.changes().map((change) => [change.path, change.content]))
  for (const file of files) {
    const next = contents.get(file.path)
    if (!['conflict', 'force', 'update'].includes(file.action) || next === undefined) continue
    const before = readDisk(join(tree.root, file.path)) ?? ''
    file.diff = createTwoFilesPatch(`a/${file.path}`, `b/${file.path}`, before, next, undefined, undefined, {context: 3}).split('\n').slice(1).join('\n')
  }
}

async function resolveConflicts(files: FileAction[], options: CommitOptions, intents: Map<string, Intent>): Promise<FileAction[]> {
  const conflicts = files.filter((file) => file.action === 'conflict')
  if (conflicts.length === 0) return files
  if (options.force) return files.map((file) => (file.action === 'conflict' ? {...file, action: 'force'} : file))
  if (options.skip) return files.map((file) => (file.action === 'conflict' ? {...file, action: 'skip'} : file))
  if (options.resolveConflict && !options.dryRun) {
    const resolved: FileAction[] = []
    for (const file of files) {
      if (file.action !== 'conflict') resolved.push(file)
      else resolved.push({...file, action: (await options.resolveConflict(file.path, intents.get(file.path)!)) === 'overwrite' ? 'force' : 'skip'})
    }

    return resolved
  }

  if (options.dryRun) return files
  const list = (intent: Intent) => conflicts.filter((file) => intents.get(file.path) === intent).map((file) => quote(file.path))
  const [overwrites, deletions] = [list('create'), list('delete')]
  const what = [
    ...(overwrites.length > 0 ? [`would overwrite ${overwrites.join(', ')}, which ${overwrites.length === 1 ? 'differs' : 'differ'} from what restack generates`] : []),
    ...(deletions.length > 0 ? [`would delete ${deletions.join(', ')}, which ${deletions.length === 1 ? 'was' : 'were'} changed since restack generated ${deletions.length === 1 ? 'it' : 'them'}`] : []),
  ]
  throw new UserError(
    `This command ${what.join(' and ')}. Nothing was written. Pass --force to ${deletions.length > 0 && overwrites.length === 0 ? 'delete' : 'overwrite'} anyway, or --skip to keep ${conflicts.length === 1 ? 'that file' : 'those files'} and do the rest; --dry-run shows the plan.`,
  )
}

/** The ledger after this commit, or undefined when it does not change. */
function nextLedger(tree: Tree, files: FileAction[], by: string): string | undefined {
  const ledger = readLedger(tree)
  // Unchanged entries leave the file as it is, in whatever order it has (an older restack sorted by locale).
  const before = serializeLedger(ledger)
  const contents = new Map(tree.changes().map((change) => [change.path, change]))
  for (const file of files) {
    const change = contents.get(file.path)!
    if (change.intent === 'delete') {
      if (file.action === 'delete' || file.action === 'force') delete ledger.files[file.path]
    } else if (change.intent === 'create' && file.action !== 'skip' && change.content !== undefined) {
      ledger.files[file.path] = {by: ledger.files[file.path]?.by ?? by, sha256: sha256(change.content)}
    } else if (change.intent === 'update' && file.action === 'update' && change.content !== undefined && ledger.files[file.path]) {
      // A file of ours that a later command edits stays ours, if nobody had changed it in between.
      const disk = readDisk(join(tree.root, file.path))
      if (disk !== undefined && isOurs(ledger, file.path, disk)) ledger.files[file.path] = {...ledger.files[file.path], sha256: sha256(change.content)}
    }
  }

  const text = serializeLedger(ledger)
  return text === before ? undefined : text
}
