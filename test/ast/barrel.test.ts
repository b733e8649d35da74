import {expect} from 'chai'

import {addBarrelExport, barrelModules, removeBarrelExport} from '../../src/ast/barrel.js'

describe('ast/barrel', () => {
  const cases: Record<string, string> = {
    'double quotes': 'export * from "./greet";\n',
    'empty barrel': '// Agents are registered here.\nexport {};\n',
    'empty file': '',
    'no final newline': "export * from './greet'",
    'single quotes, comments': "// functions\nexport * from './greet' // hello\n\n// more below\n",
  }

  for (const [label, source] of Object.entries(cases)) {
    it(`adds once and removes to the exact bytes: ${label}`, () => {
      const a = addBarrelExport(source, 'index.ts', 'sendEmail')
      expect(addBarrelExport(a, 'index.ts', 'sendEmail')).to.equal(a)
      expect(barrelModules(a, 'index.ts')).to.include('sendEmail')
      const ab = addBarrelExport(a, 'index.ts', 'charge')
      expect(removeBarrelExport(ab, 'index.ts', 'sendEmail')).to.equal(addBarrelExport(source, 'index.ts', 'charge'))
      expect(removeBarrelExport(removeBarrelExport(ab, 'index.ts', 'charge'), 'index.ts', 'sendEmail')).to.equal(source)
    })
  }

  it("follows the file's quote and semicolon style", () => {
    expect(addBarrelExport("export * from './greet'\n", 'index.ts', 'x')).to.equal("export * from './greet'\nexport * from './x'\n")
    expect(addBarrelExport('export * from "./greet";\n', 'index.ts', 'x')).to.equal('export * from "./greet";\nexport * from "./x";\n')
  })
})
