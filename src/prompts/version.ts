import semver from 'semver'

import {quote, UserError} from '../errors.js'

/**
 * Prompt versions are exact semantic versions: MAJOR.MINOR.PATCH, optionally with a prerelease tag
 * (2.0.0-beta.1). Build metadata (+sha) is refused, because semver ignores it in comparisons and two
 * files 1.0.0+a and 1.0.0+b would be the same version.
 */
export function checkVersion(input: string): string {
  const trimmed = input.trim()
  if (semver.valid(trimmed) === trimmed && !trimmed.includes('+')) return trimmed
  throw new UserError(`${quote(input)} is not a valid prompt version: ${problem(trimmed)} Use a semantic version such as --version 1.0.0, or --version 2.0.0-beta.1 for a prerelease. Nothing was written.`)
}

function problem(input: string): string {
  if (input === '') return 'it is empty.'
  if (input.includes('+')) return `build metadata ("+${input.slice(input.indexOf('+') + 1)}") is not allowed, because versions that differ only in it compare equal.`
  const cleaned = semver.valid(semver.clean(input) ?? '')
  if (cleaned) return `write it as ${quote(cleaned)}.`
  const coerced = semver.coerce(input)
  if (coerced && /^\d+(\.\d+)?$/.test(input)) return `a version has three numbers, e.g. ${quote(coerced.version)}.`
  return 'a version is MAJOR.MINOR.PATCH, three numbers with an optional "-prerelease" tag.'
}

export const isVersion = (value: string): boolean => semver.valid(value) === value && !value.includes('+')

export const isPrerelease = (version: string): boolean => semver.prerelease(version) !== null

/**
 * The order `latest` moves forward in: any release beats any prerelease, otherwise higher semver
 * wins. So 2.0.0-beta.1 never becomes latest over 1.1.0, but is latest while it is alone.
 */
export function isAhead(candidate: string, current: string): boolean {
  const [a, b] = [isPrerelease(candidate), isPrerelease(current)]
  if (a !== b) return b
  return semver.gt(candidate, current)
}

/** The version `latest` should name among `versions`: the last one in the order of `isAhead`. */
export function bestVersion(versions: string[]): string | undefined {
  let best: string | undefined
  for (const version of versions) if (best === undefined || isAhead(version, best)) best = version
  return best
}

export const sortVersions = (versions: string[]): string[] => [...versions].sort(semver.compare)

/**
 * What the generated project's loader answers for each selector of a prompt: `latest`, every major
 * and major.minor, every exact version. Computed with the same `semver` package the loader uses;
 * `undefined` means the selector matches nothing (a major with prereleases only). Without a
 * `latest` in the registry there is no `latest` row.
 */
export function resolutions(versions: string[], latest: string | undefined): Array<[string, string | undefined]> {
  const sorted = sortVersions(versions)
  const partial = [...new Set(sorted.flatMap((version) => [`${semver.major(version)}`, `${semver.major(version)}.${semver.minor(version)}`]))]
  return [
    ...(latest === undefined ? [] : [['latest', latest] as [string, string]]),
    ...partial.map((range): [string, string | undefined] => [range, semver.maxSatisfying(sorted, range) ?? undefined]),
    ...sorted.map((version): [string, string] => [version, version]),
  ]
}
