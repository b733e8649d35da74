/** Edit distance between two short strings (for "did you mean"). */
function distance(a: string, b: string): number {
  const row = Array.from({length: b.length + 1}, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1))
      diagonal = above
    }
  }

  return row[b.length]
}

/** The candidate closest to `input`, if it is close enough to be a likely typo. */
export function closest(input: string, candidates: string[]): string | undefined {
  const lower = input.toLowerCase()
  const ranked = candidates.map((candidate) => ({candidate, score: distance(lower, candidate.toLowerCase())})).sort((a, b) => a.score - b.score)
  const best = ranked[0]
  return best && best.score <= Math.max(2, Math.floor(best.candidate.length / 3)) ? best.candidate : undefined
}
