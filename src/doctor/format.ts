import type {Colorize} from '../engine/output.js'
import {DoctorReport} from './run.js'

const HEADINGS = {error: 'Errors', info: 'Info', warn: 'Warnings'} as const
const MARKS = {error: ['red', '✖'], info: ['blue', 'i'], warn: ['yellow', '!']} as const

/** Findings grouped by severity, each with its fix beneath it, and a closing count. */
export function formatReport(report: DoctorReport, colorize: Colorize): string[] {
  const lines: string[] = []
  for (const severity of ['error', 'warn', 'info'] as const) {
    const group = report.findings.filter((finding) => finding.severity === severity)
    if (group.length === 0) continue
    lines.push(`${HEADINGS[severity]} (${group.length})`)
    for (const finding of group) {
      lines.push(`  ${colorize(MARKS[severity][0], MARKS[severity][1])} ${finding.message} [${finding.code}]`, `    fix: ${finding.fix}${finding.fixable ? ' (--fix)' : ''}`)
    }

    lines.push('')
  }

  const {error, info, warn} = report.counts
  lines.push(
    error + warn + info === 0
      ? `No problems found (${report.rules.length} checks).`
      : `${error} error${error === 1 ? '' : 's'}, ${warn} warning${warn === 1 ? '' : 's'}, ${info} note${info === 1 ? '' : 's'} (${report.rules.length} checks).`,
  )
  return lines
}
