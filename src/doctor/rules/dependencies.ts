import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {Finding, Rule} from '../rule.js'

const readJson = (path: string): Record<string, unknown> | undefined => {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
  } catch {
    return undefined
  }
}

export const dependenciesRule: Rule = {
  description: 'dependencies are installed and every @temporalio package is at one version',
  name: 'dependencies',
  needsProject: true,
  run({project}) {
    const root = project!.root
    const pkg = readJson(join(root, 'package.json'))
    if (!pkg) {
      return [{code: 'dependencies/no-package-json', fix: 'Restore package.json from version control.', message: 'package.json is missing or is not valid JSON.', severity: 'error'}]
    }

    const declared = {...(pkg.dependencies as Record<string, string>), ...(pkg.devDependencies as Record<string, string>)}
    const temporal = Object.entries(declared).filter(([name]) => name.startsWith('@temporalio/'))
    const findings: Finding[] = []
    const versions = new Set(temporal.map(([, version]) => version))
    if (versions.size > 1) {
      const newest = [...versions].sort().at(-1)!
      findings.push({
        code: 'dependencies/temporal-misaligned',
        fix: `Pin every @temporalio package to one version in package.json (e.g. all "${newest}"), then run "npm install".`,
        message: `The @temporalio packages are declared at different versions (${temporal.map(([name, version]) => `${name} ${version}`).join(', ')}); mixed versions break workflow bundling and replay.`,
        severity: 'error',
      })
    }

    if (!existsSync(join(root, 'node_modules'))) {
      findings.push({code: 'dependencies/not-installed', fix: 'Run "npm install" in the project.', message: 'The dependencies are not installed (no node_modules).', severity: 'error'})
      return findings
    }

    for (const [name, version] of Object.entries(declared)) {
      const installed = readJson(join(root, 'node_modules', name, 'package.json'))?.version as string | undefined
      if (installed === undefined) {
        findings.push({code: 'dependencies/missing', fix: 'Run "npm install" in the project.', message: `${name} is declared in package.json but not installed.`, severity: 'error'})
      } else if (name.startsWith('@temporalio/') && /^\d+\.\d+\.\d+$/.test(version) && installed !== version) {
        findings.push({
          code: 'dependencies/temporal-mismatch',
          fix: 'Run "npm install" so node_modules matches package.json.',
          message: `${name} ${installed} is installed, but package.json pins ${version}.`,
          severity: 'error',
        })
      }
    }

    return findings
  },
}
