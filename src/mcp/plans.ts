import type {Command, Config} from '@oclif/core'

import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {Action, FileAction, withCommitGuard} from '../engine/commit.js'
import {sha256} from '../engine/hash.js'
import {LEDGER_PATH} from '../engine/ledger.js'
import {readDisk, Tree} from '../engine/tree.js'
import {quote, UserError} from '../errors.js'
import {commandFor, Mode, toArgv} from './catalog.js'
import {FieldError} from './field-error.js'

/** One file of a plan: what the commit would do to it, with a unified diff of the change. */
export interface PlannedFile {
  action: Action
  diff?: string
  path: string
}

/** The structured result of the plan and destroy tools. */
export interface PlanResult {
  /** the same change on the command line, for a person */
  command: string
  /** every file's diff, one after another */
  diff: string
  files: PlannedFile[]
  kind: string
  mode: Mode
  name: string
  /** apply takes this id; it is the hash of the plan and of the current bytes of every file it touches */
  planId: string
}

/** The structured result of apply. */
export interface ApplyResult {
  files: Array<{action: Action; path: string}>
  kind: string
  mode: Mode
  name: string
  planId: string
  written: boolean
}

/** What a commit touches, as bytes on disk now (sha256, or null when absent), and what it would write. */
interface Fingerprint {
  after: Array<[string, string, null | string]>
  before: Record<string, null | string>
  id: string
}

/** What a planId says to run: it travels inside the id, so apply works in another process too (a client that starts the server per call). */
interface PlanSpec {
  kind: string
  mode: Mode
  name: string
  options: Record<string, unknown>
}

const bytesHash = (absolute: string): null | string => {
  try {
    return createHash('sha256').update(readFileSync(absolute)).digest('hex')
  } catch {
    return null // absent (or a folder): a file created there later makes the plan stale
  }
}

function fingerprint(tree: Tree, files: FileAction[]): Fingerprint {
  const paths = [...new Set([...tree.changes().map((change) => change.path), LEDGER_PATH])].sort()
  const before = Object.fromEntries(paths.map((path) => [path, bytesHash(join(tree.root, path))]))
  const after = tree
    .changes()
    .map((change): [string, string, null | string] => [change.path, change.intent, change.content === undefined ? null : sha256(change.content)])
    .sort((a, b) => a[0].localeCompare(b[0]))
  const actions = files.map((file) => [file.path, file.action]).sort()
  return {after, before, id: sha256(JSON.stringify({actions, after, before}))}
}

const WRITES: Action[] = ['conflict', 'create', 'delete', 'force', 'update']

/** A unified diff of each file the commit writes (creations from /dev/null, deletions to it). */
async function diffs(tree: Tree, files: FileAction[]): Promise<PlannedFile[]> {
  const {createTwoFilesPatch} = await import('diff')
  const contents = new Map(tree.changes().map((change) => [change.path, change.content]))
  return files.map((file) => {
    if (!WRITES.includes(file.action)) return {action: file.action, path: file.path}
    const before = readDisk(join(tree.root, file.path))
    const after = contents.get(file.path)
    const patch = createTwoFilesPatch(before === undefined ? '/dev/null' : `a/${file.path}`, after === undefined ? '/dev/null' : `b/${file.path}`, before ?? '', after ?? '', undefined, undefined, {context: 3})
    return {action: file.action, diff: patch.split('\n').slice(1).join('\n'), path: file.path}
  })
}

/** Runs a restack command in this process, as the CLI would, and returns its --json result. */
async function runCommand(config: Config, command: Command.Class, argv: string[]): Promise<{name?: string}> {
  // --json before "--": the command prints nothing on stdout (which is the MCP stream on stdio).
  const Runnable = command as unknown as new (argv: string[], config: Config) => {init(): Promise<void>; run(): Promise<unknown>}
  const cmd = new Runnable(['--json', ...argv], config)
  await cmd.init()
  return ((await cmd.run()) ?? {}) as {name?: string}
}

const MAX_REMEMBERED = 100

const planHash = (id: string, argv: string[], commit: Fingerprint): string => sha256(JSON.stringify({argv, commit: commit.id, id})).slice(0, 32)

function decode(planId: string): PlanSpec {
  const dot = planId.lastIndexOf('.')
  try {
    const spec = JSON.parse(Buffer.from(planId.slice(0, dot), 'base64url').toString('utf8')) as PlanSpec
    if (dot > 0 && ['destroy', 'generate'].includes(spec.mode) && typeof spec.kind === 'string' && typeof spec.name === 'string' && typeof spec.options === 'object' && spec.options !== null && !Array.isArray(spec.options)) return spec
  } catch {
    // not ours: said below
  }

  throw new FieldError('planId', `${quote(planId.length > 80 ? `${planId.slice(0, 80)}...` : planId)} is not a planId: call plan (or destroy) and pass the planId it returns, unchanged.`)
}

/**
 * Plans and applies generator runs for restack mcp. A plan is the command's own dry run (its
 * validation, its generator, its committer), seen by a commit guard; its id carries what to run and
 * the hash of the plan and of the current bytes of every file it touches. Apply runs the same command
 * for real, and the guard, inside the command's lock and before anything is written, refuses it when
 * the hash differs: a touched file has other bytes now, or the plan would come out different.
 */
export class PlanBook {
  /** the fingerprints of recent plans, to name the files that changed when one goes stale */
  private readonly remembered = new Map<string, Fingerprint>()

  constructor(private readonly config: Config) {}

  async apply(planId: string): Promise<ApplyResult> {
    const spec = decode(planId)
    const expected = planId.slice(planId.lastIndexOf('.') + 1)
    const {command, id} = await commandFor(this.config, spec.mode, spec.kind)
    const argv = await toArgv(command, spec.name, spec.options)
    let commits = 0
    const written: FileAction[] = []
    const inspect = (tree: Tree, files: FileAction[]) => {
      const now = fingerprint(tree, files)
      if (commits++ > 0 || planHash(id, argv, now) !== expected) {
        const before = this.remembered.get(expected)?.before
        const changed = before ? Object.keys({...before, ...now.before}).filter((path) => before[path] !== now.before[path]) : []
        const why =
          changed.length > 0
            ? `${changed.map((path) => quote(path)).join(', ')} changed since the plan was made`
            : before
              ? 'the project changed since the plan was made, and the same command would now write something else'
              : `a file it touches (${Object.keys(now.before).map((path) => quote(path)).join(', ')}) or the project changed since the plan was made (or it was applied already)`
        throw new UserError(`The plan is stale: ${why}. Nothing was written. Call ${spec.mode === 'destroy' ? 'destroy' : 'plan'} again, review the new diff, and apply its planId.`)
      }

      written.push(...files)
    }

    await withCommitGuard({inspect}, () => runCommand(this.config, command, argv))
    this.remembered.delete(expected)
    return {
      files: written.map(({action, path}) => ({action, path})),
      kind: spec.kind,
      mode: spec.mode,
      name: spec.name,
      planId,
      written: written.some((file) => ['create', 'delete', 'force', 'update'].includes(file.action)),
    }
  }

  async plan(mode: Mode, kind: string, name: string, options: Record<string, unknown> = {}): Promise<PlanResult> {
    if (name.trim() === '') throw new FieldError('name', 'the name is empty: give the name of the unit, e.g. "SendEmail".')
    const {command, id} = await commandFor(this.config, mode, kind)
    const argv = await toArgv(command, name, options)
    const commits: Fingerprint[] = []
    const files: PlannedFile[] = []
    const inspect = async (tree: Tree, planned: FileAction[]) => {
      commits.push(fingerprint(tree, planned))
      files.push(...(await diffs(tree, planned)))
    }

    const result = await withCommitGuard({dryRun: true, inspect}, () => runCommand(this.config, command, [...('dry-run' in (command.flags ?? {}) ? ['--dry-run'] : []), ...argv]))
    if (commits.length !== 1) throw new UserError(`"${id}" did not make one plan through restack's committer, so restack mcp cannot apply it safely. Run it on the command line instead.`)
    const hash = planHash(id, argv, commits[0])
    this.remembered.delete(hash)
    this.remembered.set(hash, commits[0])
    while (this.remembered.size > MAX_REMEMBERED) this.remembered.delete(this.remembered.keys().next().value as string)
    const spec: PlanSpec = {kind, mode, name, options}
    const shown = argv.filter((arg) => arg !== '--').map((arg) => (/^[\w.:=/@,-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`))
    return {
      command: `${this.config.bin} ${id.replace(':', ' ')} ${shown.join(' ')}`,
      diff: files.flatMap((file) => (file.diff ? [file.diff] : [])).join('\n'),
      files,
      kind,
      mode,
      name: result.name ?? name,
      planId: `${Buffer.from(JSON.stringify(spec)).toString('base64url')}.${hash}`,
    }
  }
}
