import type {CommitResult} from './commit.js'

export type Colorize = (color: string, text: string) => string

const COLORS: Record<string, string> = {
  conflict: 'red',
  create: 'green',
  delete: 'red',
  force: 'yellow',
  identical: 'blue',
  skip: 'yellow',
  update: 'cyan',
}

/** One line per file, verbs right-aligned in a column, as Rails prints them. */
export function formatPlan(result: CommitResult, colorize: Colorize = (_c, text) => text, verbose = false): string[] {
  const lines = result.files.map((file) => {
    const verb = colorize(COLORS[file.action] ?? 'white', file.action.padStart(9))
    const line = `${verb}  ${file.path}${verbose && file.template ? `  (${file.template})` : ''}`
    return file.diff ? `${line}\n${colorDiff(file.diff, colorize)}` : line
  })
  if (result.dryRun) {
    const conflicts = result.files.filter((file) => file.action === 'conflict').length
    lines.push(
      conflicts > 0
        ? `Dry run: nothing was written. A real run would stop at ${conflicts} conflict${conflicts === 1 ? '' : 's'}; pass --force or --skip.`
        : 'Dry run: nothing was written.',
    )
  }

  return lines
}

const colorDiff = (diff: string, colorize: Colorize): string =>
  diff
    .trimEnd()
    .split('\n')
    .map((line) => (line.startsWith('+') && !line.startsWith('+++') ? colorize('green', line) : line.startsWith('-') && !line.startsWith('---') ? colorize('red', line) : line))
    .join('\n')
