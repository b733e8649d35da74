import {existsSync, rmdirSync} from 'node:fs'
import {join, resolve} from 'node:path'

import {TXN_DIR} from '../../engine/journal.js'
import {withLock} from '../../engine/lock.js'
import {classify, commit, FileAction} from '../../engine/commit.js'
import {gitInit} from '../../engine/git.js'
import {npmInstall} from '../../engine/npm.js'
import {formatPlan} from '../../engine/output.js'
import {Reporter} from '../../engine/reporter.js'
import {Tree} from '../../engine/tree.js'
import {toUserError} from '../../engine/fs-errors.js'
import {directoryOf, NewOptions, planNew, validateNew} from './generator.js'

export interface NewRunOptions extends NewOptions {
  dryRun?: boolean
  skipGit?: boolean
  skipInstall?: boolean
}

/** The `--json` result of `restack new`. */
export interface NewResult {
  app: string
  dryRun: boolean
  files: FileAction[]
  git: boolean
  installed: boolean
  nextSteps: string[]
  root: string
}

export async function runNew(options: NewRunOptions, reporter: Reporter): Promise<NewResult> {
  // A `restack new` killed while writing left its journal in the directory: settle it before looking there.
  const target = resolve(options.cwd, directoryOf(options.app))
  if (!options.dryRun && options.app.trim() !== '' && existsSync(join(target, TXN_DIR))) {
    await withLock(target, async () => {})
    // Killed before its commit point, it left only the folder its journal was to go in: the retry may use the directory.
    try {
      rmdirSync(join(target, '.restack'))
    } catch {
      // not empty: the directory holds more than the staging folder did
    }
  }

  const plan = validateNew(options)
  const tree = new Tree(plan.root)
  await planNew(tree, plan)
  if (options.force && !options.dryRun) {
    // --force into a directory with files: say which of them it replaces before it writes anything.
    const replaced = classify(tree).filter((file) => file.action === 'conflict')
    for (const file of replaced) reporter.notice(`replacing ${file.path}`)
    if (replaced.length > 0) reporter.notice(`--force: ${replaced.length} existing file${replaced.length === 1 ? '' : 's'} replaced by the new project's (listed above).`)
  }

  const result = await commit(tree, {by: 'new', dryRun: options.dryRun, force: options.force}).catch((error) => {
    throw toUserError(error, plan.root)
  })
  for (const line of formatPlan(result, reporter.colorize, reporter.verbose)) reporter.log(line)
  const nextSteps = [
    `cd ${plan.directory}`,
    ...(options.skipInstall ? ['npm install'] : []),
    'npm test',
    'temporal server start-dev    # the engine, in another terminal (or the Restack engine: README.md, "Start the engine")',
    'restack run server',
  ]
  const outcome: NewResult = {app: plan.app, dryRun: result.dryRun, files: result.files, git: false, installed: false, nextSteps, root: plan.root}
  if (result.dryRun) return outcome

  if (!options.skipGit) {
    outcome.git = gitInit(plan.root)
    if (!outcome.git) reporter.notice('git init did not run (is git installed?); the project is not a repository yet.')
  }

  if (!options.skipInstall) {
    await reporter.progress('Installing dependencies with npm', () => npmInstall(plan.root, plan.directory))
    outcome.installed = true
  }

  reporter.log('')
  reporter.log(`Created ${plan.app}. Next:`)
  for (const step of nextSteps) reporter.log(`  ${step}`)
  return outcome
}
