import {parseModule} from '../../ast/parse.js'
import {barrelModules} from '../../ast/barrel.js'
import {barrelOf, ENTITY_DIRS, ENTITY_KINDS} from '../../engine/entities.js'
import {Tree} from '../../engine/tree.js'
import {Finding, Rule} from '../rule.js'

/** The names a module exports by declaration or list (`export * from` is not followed). */
export function exportedNames(source: string, file: string): string[] {
  const names: string[] = []
  for (const statement of parseModule(source, file).program.body) {
    if (statement.type !== 'ExportNamedDeclaration') continue
    const {declaration} = statement
    if (declaration && 'id' in declaration && declaration.id?.type === 'Identifier') names.push(declaration.id.name)
    if (declaration?.type === 'VariableDeclaration') for (const item of declaration.declarations) if (item.id.type === 'Identifier') names.push(item.id.name)
    for (const specifier of statement.specifiers) if (specifier.exported.type === 'Identifier') names.push(specifier.exported.name)
  }

  return names
}

/** Two modules of one barrel that export the same name: `export *` then exports neither (TS2308). */
export const barrelExportsRule: Rule = {
  description: 'no two modules of a barrel export the same name',
  name: 'barrel-exports',
  needsProject: true,
  run({project}) {
    const tree = new Tree(project!.root)
    const findings: Finding[] = []
    for (const kind of ENTITY_KINDS) {
      const barrel = barrelOf(kind)
      const source = tree.read(barrel)
      if (source === undefined) continue
      const owners = new Map<string, string[]>()
      try {
        for (const module of barrelModules(source, barrel)) {
          const file = `${ENTITY_DIRS[kind]}/${module}.ts`
          const text = tree.read(file)
          if (text === undefined) continue
          for (const name of exportedNames(text, file)) owners.set(name, [...(owners.get(name) ?? []), file])
        }
      } catch {
        continue // a module that does not parse is the sources rule's finding
      }

      for (const [name, files] of owners) {
        if (files.length < 2) continue
        findings.push({
          code: 'barrel/duplicate-export',
          fix: `Rename ${name} in all but one of them (or stop exporting it), so that ${barrel} can export it.`,
          message: `${files.join(' and ')} both export ${name}, so ${barrel} ("export * from ...") exports neither and the project does not compile (TS2308).`,
          severity: 'error',
        })
      }
    }

    return findings
  },
}
