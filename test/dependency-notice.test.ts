import {expect} from 'chai'

import {dependencyNotice} from '../src/dependency-notice.js'

const pkg = (dependencies: Record<string, string>, devDependencies: Record<string, string> = {}) => JSON.stringify({dependencies, devDependencies, name: 'demo'})

describe('dependencyNotice', () => {
  it('says nothing when the dependencies did not change (a script or another field did)', () => {
    const before = pkg({zod: '^4.0.0'})
    expect(dependencyNotice(before, JSON.stringify({...JSON.parse(before), scripts: {x: 'y'}}), false)).to.equal(undefined)
  })

  it('names what a run added or changed and says to run npm install', () => {
    const notice = dependencyNotice(pkg({zod: '^3.25.0'}), pkg({cockatiel: '^3.2.1', zod: '^4.0.0'}, {tsx: '^4.0.0'}), false)
    expect(notice).to.equal(`package.json's dependencies changed (this run adds cockatiel@^3.2.1, tsx@^4.0.0, zod@^4.0.0): run "npm install" to bring node_modules in line.`)
  })

  it('names what a destroy removed', () => {
    expect(dependencyNotice(pkg({cockatiel: '^3.2.1', zod: '^4.0.0'}), pkg({zod: '^4.0.0'}), false)).to.match(/removes cockatiel\): run "npm install"/)
  })

  it('says it in the conditional in a dry run', () => {
    expect(dependencyNotice(pkg({}), pkg({zod: '^4.0.0'}), true)).to.equal(`This run would change package.json's dependencies (it adds zod@^4.0.0): after a real run, run "npm install".`)
  })
})
