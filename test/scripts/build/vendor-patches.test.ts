import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {REPO_ROOT} from '../../helpers/cli.js'

/** scripts/build/vendor-patches.mjs: what the build changes in the packages of lib/vendor.cjs, and that it keeps their behaviour. */
describe('vendor patches (scripts/build/vendor-patches.mjs)', () => {
  let compareIds: (a: string, b: string) => number

  before(async () => {
    const {COMPARE_IDS} = (await import(pathToFileURL(join(REPO_ROOT, 'scripts/build/vendor-patches.mjs')).href)) as {COMPARE_IDS: string}
    // eslint-disable-next-line no-eval
    compareIds = (0, eval)(COMPARE_IDS)
  })

  it("sorts oclif's command ids as the root collation does for ids of lowercase letters, ':' and '-', and every id by code unit", () => {
    let state = 17
    const next = () => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31
      return state / 2 ** 31
    }

    const word = (alphabet: string) => Array.from({length: Math.floor(next() * 7)}, () => alphabet[Math.floor(next() * alphabet.length)]).join('')
    const root = new Intl.Collator('und')
    for (let index = 0; index < 50_000; index++) {
      const [a, b] = [word('abcmz:-'), word('abcmz:-')]
      expect(Math.sign(compareIds(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).to.equal(Math.sign(root.compare(a, b)))
    }

    for (const alphabet of ['abcz:-09', 'aAbB:-_. ', 'é-e:z']) {
      for (let index = 0; index < 5000; index++) {
        const [a, b] = [word(alphabet), word(alphabet)]
        expect(Math.sign(compareIds(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).to.equal(a < b ? -1 : a > b ? 1 : 0)
      }
    }

    // the ids restack really has, in the order oclif gave them before
    const ids = Object.keys(JSON.parse(readFileSync(join(REPO_ROOT, 'oclif.manifest.json'), 'utf8')).commands)
    expect([...ids].sort(compareIds)).to.deep.equal([...ids].sort(root.compare))
  })

  it("is in the vendor bundle in place of oclif's localeCompare sort, and oclif's import() goes through bin/run.js", () => {
    const vendor = readFileSync(join(REPO_ROOT, 'lib/vendor.cjs'), 'utf8')
    expect(vendor).to.not.match(/\.id\.localeCompare\(/)
    expect(vendor).to.match(/Symbol\.for\(["']restack-gen\.import["']\)/)
  })
})
