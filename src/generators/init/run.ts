import {resolve} from 'node:path'

import {commit, FileAction} from '../../engine/commit.js'
import {toUserError} from '../../engine/fs-errors.js'
import {settle, withLock} from '../../engine/lock.js'
import {formatPlan} from '../../engine/output.js'
import {Reporter} from '../../engine/reporter.js'
import {Tree} from '../../engine/tree.js'
import {DetectedService} from '../../ast/service-paths.js'
import {InitOptions, planInit, Runtime, validateInit} from './generator.js'

export interface InitRunOptions extends InitOptions {
  dryRun?: boolean
}

/** The `--json` result of `restack init`. */
export interface InitResult {
  /** how many of the user's files the ledger now records as theirs (never deleted or overwritten as generated) */
  adopted: number
  app: string
  defaultQueue: string
  dryRun: boolean
  files: FileAction[]
  root: string
  runtime: Runtime
  services: DetectedService[]
}

export async function runInit(options: InitRunOptions, reporter: Reporter): Promise<InitResult> {
  // An init killed here left its journal (and maybe restack.yaml already): settled first, so this one
  // adopts the project as it was, or finds it adopted.
  await settle(resolve(options.cwd)).catch((error) => Promise.reject(toUserError(error, resolve(options.cwd))))
  const checked = validateInit(options)
  const work = async (): Promise<InitResult> => {
    // Checked again inside the lock: another init (or restack new) may have made the project while this one waited.
    const plan = options.dryRun ? checked : validateInit(options)
    const tree = new Tree(plan.root)
    await planInit(tree, plan)
    const result = await commit(tree, {by: 'init', dryRun: options.dryRun})
    for (const line of formatPlan(result, reporter.colorize, reporter.verbose)) reporter.log(line)
    if (result.dryRun) {
      reporter.log(`A real run would also record ${plan.adopted.length} of your files as yours in .restack/ledger.json.`)
    } else {
      reporter.log('')
      reporter.log(`Adopted ${plan.app}: ${plan.services.length} service${plan.services.length === 1 ? '' : 's'}, default task queue "${plan.defaultQueue}", runtime ${plan.runtime}; ${plan.adopted.length} of your files recorded as yours.`)
      reporter.log('Next: restack doctor, then restack g agent|workflow|function <Name>.')
    }

    return {
      adopted: plan.adopted.length,
      app: plan.app,
      defaultQueue: plan.defaultQueue,
      dryRun: result.dryRun,
      files: result.files,
      root: plan.root,
      runtime: plan.runtime,
      services: plan.services,
    }
  }

  // A dry run writes nothing, so it takes no lock: a read-only project still gets its plan.
  if (options.dryRun) return work().catch((error) => Promise.reject(toUserError(error, checked.root, 'read')))
  return withLock(checked.root, work).catch((error) => Promise.reject(toUserError(error, checked.root)))
}
