import {Flags} from '@oclif/core'

import {RestackCommand} from '../command.js'
import {FileAction} from '../engine/commit.js'
import {formatPlan} from '../engine/output.js'
import {applyRepairs, revertRepairs} from '../doctor/fix.js'
import {formatReport} from '../doctor/format.js'
import {pluginRules} from '../doctor/plugins.js'
import {coreRules} from '../doctor/rules/index.js'
import {settle} from '../engine/lock.js'
import {findProjectRoot} from '../engine/project.js'
import {doctorContext, DoctorReport, runDoctor} from '../doctor/run.js'

/** The `--json` result of `restack doctor`. */
/** rolledBack: --fix undid its repairs because they broke the type-check. */
export type DoctorResult = Omit<DoctorReport, 'repairs'> & {fixed?: FileAction[]; ok: boolean; rolledBack?: boolean}

export default class Doctor extends RestackCommand {
  static override description = `Runs every check in parallel, each with a timeout: Node version, restack.yaml, that services.ts and the barrels parse, that every agent, workflow and function is registered and every registration has its file, installed and aligned dependencies, the environment variables the code reads, and whether the engine answers (a warning only). Plugins add checks through the restack:doctor hook. Exits 1 when there is any error.`

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --fix --dry-run', '<%= config.bin %> <%= command.id %> --typecheck --json']
  static override flags = {
    'dry-run': Flags.boolean({char: 'n', dependsOn: ['fix'], description: 'with --fix: print what would change and write nothing'}),
    fix: Flags.boolean({description: 'repair what has a safe automatic fix (missing registrations), then check again'}),
    typecheck: Flags.boolean({description: "also run the project's type-check"}),
  }

  static override summary = 'Check the project and say how to fix what is wrong'

  async run(): Promise<DoctorResult> {
    const {flags} = await this.parse(Doctor)
    const root = findProjectRoot(process.cwd())
    if (root) await settle(root)
    const context = doctorContext(process.cwd(), flags.typecheck)
    const {failures, rules: contributed} = await pluginRules(this.config)
    for (const failure of failures) this.warn(`a plugin's doctor rules could not be loaded: ${failure}`)
    const rules = [...coreRules, ...contributed]
    let report = await runDoctor(context, rules)
    let fixed: FileAction[] | undefined
    let rolledBack = false
    if (flags.fix && report.repairs.length > 0 && context.root) {
      const typeChecked = (checked: typeof report) => checked.findings.some((finding) => finding.code === 'typecheck/failed')
      // The type-check runs whenever dependencies are installed (or with --typecheck): its verdict before the repairs is the bar after them.
      const brokenBefore = typeChecked(report)
      const result = await applyRepairs(context.root, report.repairs, flags['dry-run'])
      fixed = result.files
      for (const line of formatPlan(result, this.reporter().colorize)) this.log(line)
      if (!result.dryRun) {
        // --fix checks its own work: every rule again, the type-check included when it can run.
        report = await runDoctor(doctorContext(process.cwd(), flags.typecheck), rules)
        if (typeChecked(report) && !brokenBefore) {
          await revertRepairs(context.root, result.before)
          rolledBack = true
          this.warn('The repairs made the project stop type-checking, so they were rolled back: every file is as it was before "doctor --fix". The findings below say what to fix by hand.')
          report = await runDoctor(doctorContext(process.cwd(), flags.typecheck), rules)
        }
      }

      this.log('')
    }

    for (const line of formatReport(report, this.reporter().colorize)) this.log(line)
    const {repairs: _repairs, ...rest} = report
    if (report.counts.error > 0) process.exitCode = 1
    return {...rest, fixed, ok: report.counts.error === 0, ...(rolledBack ? {rolledBack} : {})}
  }
}
