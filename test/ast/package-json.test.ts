import {expect} from 'chai'

import {addDependency, addScript, addSection, removeDependency, removeEmptySection, removeScript} from '../../src/ast/package-json.js'

const PKG = `{
  "name": "demo",
  "scripts": {
    "build": "tsc",
    "test": "mocha"
  },
  "dependencies": {}
}
`

describe('ast/package-json', () => {
  it('adds scripts in the file layout, once, and removes them to the exact bytes', () => {
    const a = addScript(PKG, 'schedule:support', 'tsx scripts/schedule-support.ts')
    expect(a).to.include('    "test": "mocha",\n    "schedule:support": "tsx scripts/schedule-support.ts"\n  },')
    expect(JSON.parse(a).scripts['schedule:support']).to.equal('tsx scripts/schedule-support.ts')
    expect(addScript(a, 'schedule:support', 'other')).to.equal(a)
    const ab = addScript(a, 'run:onboarding', 'tsx scripts/run-onboarding.ts')
    expect(removeScript(ab, 'schedule:support', 'tsx scripts/schedule-support.ts')).to.equal(addScript(PKG, 'run:onboarding', 'tsx scripts/run-onboarding.ts'))
    expect(removeScript(removeScript(ab, 'run:onboarding', 'tsx scripts/run-onboarding.ts'), 'schedule:support', 'tsx scripts/schedule-support.ts')).to.equal(PKG)
  })

  it('adds and removes dependencies the same way', () => {
    const added = addDependency(PKG, '@modelcontextprotocol/sdk', '1.32.2')
    expect(added).to.include('"dependencies": { "@modelcontextprotocol/sdk": "1.32.2" }')
    expect(addDependency(added, 'cockatiel', '^3.2.1', false)).to.include('"dependencies": { "@modelcontextprotocol/sdk": "1.32.2", "cockatiel": "^3.2.1" }')
    expect(removeDependency(added, '@modelcontextprotocol/sdk', '1.32.2')).to.equal(PKG)
    expect(removeDependency(added, '@modelcontextprotocol/sdk', '2.0.0')).to.equal(added)
    expect(() => addDependency(PKG, 'x', '1.0.0', true)).to.throw(/has no "devDependencies" object/)
  })

  it('keeps a script the user changed', () => {
    const edited = addScript(PKG, 'run:x', 'tsx scripts/run-x.ts').replace('tsx scripts/run-x.ts', 'tsx scripts/mine.ts')
    expect(removeScript(edited, 'run:x', 'tsx scripts/run-x.ts')).to.equal(edited)
  })

  it('adds a missing section at the end and removes it again only while empty, to the exact bytes', () => {
    const bare = '{\n  "name": "demo",\n  "version": "1.0.0"\n}\n'
    const withDev = addSection(bare, 'devDependencies')
    expect(JSON.parse(withDev)).to.deep.equal({devDependencies: {}, name: 'demo', version: '1.0.0'})
    expect(addSection(withDev, 'devDependencies')).to.equal(withDev)
    const filled = addDependency(withDev, 'chai', '^4.5.0', true)
    expect(JSON.parse(filled).devDependencies).to.deep.equal({chai: '^4.5.0'})
    expect(removeEmptySection(filled, 'devDependencies')).to.equal(filled)
    expect(removeEmptySection(removeDependency(filled, 'chai', '^4.5.0', true), 'devDependencies')).to.equal(bare)
  })
})
