/** The dependencies a package.json declares, by name: dependencies and devDependencies together. */
function declared(text: string | undefined): Map<string, string> {
  if (text === undefined) return new Map()
  try {
    const pkg = JSON.parse(text) as {dependencies?: Record<string, string>; devDependencies?: Record<string, string>}
    return new Map(Object.entries({...pkg.devDependencies, ...pkg.dependencies}))
  } catch {
    return new Map() // an unparsable package.json is the generator's error to report, not this notice's
  }
}

/**
 * What to tell the user when a generator's plan changes the dependencies in package.json: which
 * ones, and that `npm install` is needed (or would be, in a dry run). Undefined when none changed.
 */
export function dependencyNotice(before: string | undefined, after: string | undefined, dryRun: boolean): string | undefined {
  const old = declared(before)
  const now = declared(after)
  const added = [...now]
    .filter(([name, version]) => old.get(name) !== version)
    .map(([name, version]) => `${name}@${version}`)
    .sort()
  const removed = [...old.keys()].filter((name) => !now.has(name)).sort()
  if (added.length === 0 && removed.length === 0) return undefined
  const changes = [...(added.length > 0 ? [`adds ${added.join(', ')}`] : []), ...(removed.length > 0 ? [`removes ${removed.join(', ')}`] : [])].join(' and ')
  return dryRun
    ? `This run would change package.json's dependencies (it ${changes}): after a real run, run "npm install".`
    : `package.json's dependencies changed (this run ${changes}): run "npm install" to bring node_modules in line.`
}
