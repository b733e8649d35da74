import type {Project} from '../engine/project.js'
import type {Tree} from '../engine/tree.js'

export type Severity = 'error' | 'info' | 'warn'

/** One problem a rule found: what is wrong and the fix, in words a person can act on. */
export interface Finding {
  /** stable id, e.g. "registration/missing-barrel-export" */
  code: string
  /** what to do about it: a command or an edit */
  fix: string
  message: string
  /** a safe automatic repair, applied by `restack doctor --fix` on the in-memory tree */
  repair?: (tree: Tree) => void
  severity: Severity
}

export interface DoctorContext {
  cwd: string
  /** the environment the service would see: .env under the process environment */
  env: NodeJS.ProcessEnv
  /** the project, when restack.yaml was found and is valid */
  project?: Project
  /** the project root, when restack.yaml was found (valid or not) */
  root?: string
  typecheck: boolean
}

/** A check: one concern, one file under src/doctor/rules/ (plugins contribute theirs through the restack:doctor hook). */
export interface Rule {
  description: string
  name: string
  /** when it needs a valid project; rules without one run anywhere */
  needsProject?: boolean
  run(context: DoctorContext): Finding[] | Promise<Finding[]>
  /** default 5 s; a rule that takes longer is reported as a warning, never hangs doctor */
  timeoutMs?: number
}
