import {isUserError} from '../errors.js'
import {findProjectRoot, loadProject, Project} from '../engine/project.js'
import {projectSecrets, redact} from '../engine/redact.js'
import {serviceEnv} from '../server/env.js'
import {DoctorContext, Finding, Rule, Severity} from './rule.js'

export const DEFAULT_RULE_TIMEOUT_MS = 5000

/** A finding as doctor reports it (the `--json` shape): the rule that found it, and whether --fix can repair it. */
export interface ReportedFinding extends Omit<Finding, 'repair'> {
  fixable: boolean
  rule: string
}

export interface DoctorReport {
  counts: Record<Severity, number>
  findings: ReportedFinding[]
  /** the findings with their repairs, for --fix */
  repairs: Finding[]
  root?: string
  rules: string[]
}

export function doctorContext(cwd: string, typecheck: boolean): DoctorContext {
  const root = findProjectRoot(cwd)
  let project: Project | undefined
  try {
    project = root ? loadProject(root) : undefined
  } catch (error) {
    if (!isUserError(error)) throw error
  }

  return {cwd, env: root ? serviceEnv(root) : process.env, project, root, typecheck}
}

async function runRule(rule: Rule, context: DoctorContext): Promise<Finding[]> {
  const ms = rule.timeoutMs ?? DEFAULT_RULE_TIMEOUT_MS
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<Finding[]>((resolve) => {
    timer = setTimeout(
      () => resolve([{code: 'doctor/rule-timeout', fix: `Run "restack doctor" again; if it keeps timing out, look at what the "${rule.name}" rule checks: ${rule.description}.`, message: `The "${rule.name}" check did not finish within ${ms / 1000} s.`, severity: 'warn'}]),
      ms,
    )
  })
  try {
    return await Promise.race([Promise.resolve().then(() => rule.run(context)), timeout])
  } catch (error) {
    return [{code: 'doctor/rule-failed', fix: 'This is a bug in the rule; please report it with the message.', message: `The "${rule.name}" check failed: ${(error as Error).message}`, severity: 'error'}]
  } finally {
    clearTimeout(timer)
  }
}

const ORDER: Severity[] = ['error', 'warn', 'info']

/** Runs every rule in parallel, each under its timeout; rules that need a project are skipped without one. */
export async function runDoctor(context: DoctorContext, rules: Rule[]): Promise<DoctorReport> {
  const applicable = rules.filter((rule) => !rule.needsProject || context.project)
  const results = await Promise.all(applicable.map(async (rule) => ({findings: await runRule(rule, context), rule})))
  const repairs = results.flatMap(({findings}) => findings.filter((finding) => finding.repair))
  // Redaction by value: no message or fix may show a secret, whichever rule (or plugin) wrote it.
  const secrets = projectSecrets(context.root, context.env)
  const hide = (text: string): string => redact(text, secrets)
  const findings = results
    .flatMap(({findings, rule}) =>
      findings.map(({repair, ...finding}) => ({...finding, fix: hide(finding.fix), fixable: repair !== undefined, message: hide(finding.message), rule: rule.name})),
    )
    .sort((a, b) => ORDER.indexOf(a.severity) - ORDER.indexOf(b.severity))
  const counts = {error: 0, info: 0, warn: 0}
  for (const finding of findings) counts[finding.severity]++
  return {counts, findings, repairs, root: context.root, rules: applicable.map((rule) => rule.name)}
}
