import {commit, FileAction} from '../engine/commit.js'
import {toUserError} from '../engine/fs-errors.js'
import {settleInterruptedInit, withLock} from '../engine/lock.js'
import {formatPlan} from '../engine/output.js'
import {checkPlannedPaths} from '../engine/preflight.js'
import {loadProject} from '../engine/project.js'
import {Reporter} from '../engine/reporter.js'
import {Tree} from '../engine/tree.js'
import {Runtime} from './imports.js'
import {planRuntimeSwitch, RuntimeSwitchPlan} from './switch.js'

export interface RuntimeSwitchOptions {
  cwd: string
  diff?: boolean
  dryRun?: boolean
  to: Runtime
}

/** The `--json` result of `restack runtime`. */
export interface RuntimeSwitchResult extends RuntimeSwitchPlan {
  dryRun: boolean
  files: FileAction[]
  root: string
}

/** Moves a project between the bundled runtime and @restackio/ai in one journaled commit (or prints the plan). */
export async function runRuntimeSwitch(options: RuntimeSwitchOptions, reporter: Reporter): Promise<RuntimeSwitchResult> {
  await settleInterruptedInit(options.cwd)
  const project = loadProject(options.cwd)
  return withLock(project.root, async () => {
    const tree = new Tree(project.root)
    let plan: RuntimeSwitchPlan
    try {
      plan = planRuntimeSwitch(tree, project, options.to)
      checkPlannedPaths(tree)
    } catch (error) {
      throw toUserError(error, project.root, 'read')
    }

    const result = await commit(tree, {by: `runtime:${options.to}`, diff: options.diff, dryRun: options.dryRun}).catch((error) => {
      throw toUserError(error, project.root)
    })
    for (const line of formatPlan(result, reporter.colorize, reporter.verbose)) reporter.log(line)
    for (const each of plan.unmapped) {
      reporter.notice(`${each.file}:${each.line} imports ${JSON.stringify(each.specifier)}, which has no counterpart in the other runtime; it was left as it is.`)
    }

    if (!result.dryRun && options.to === 'restackio') reporter.notice('Run "npm install" to install @restackio/ai.')
    return {...plan, dryRun: result.dryRun, files: result.files, root: project.root}
  })
}
