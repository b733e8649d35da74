import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {UserError} from '../../src/errors.js'
import {addVersion, promptFile, readRegistry, removeVersion} from '../../src/prompts/registry.js'
import {REPO_ROOT} from '../helpers/cli.js'

/** What `restack new` writes: comments only. */
const FRESH = readFileSync(join(REPO_ROOT, 'templates/new/config/prompts.yaml.hbs'), 'utf8')

const add = (text: string, name: string, ...versions: string[]): string => versions.reduce((acc, version) => addVersion(acc, name, version, promptFile(name, version)), text)
const remove = (text: string, name: string, ...versions: string[]): string => versions.reduce((acc, version) => removeVersion(acc, name, version), text)

/** Every order of a list. */
const permutations = <T>(items: T[]): T[][] =>
  items.length <= 1 ? [items] : items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]))

const latestOf = (text: string, name: string): string | undefined => readRegistry(text).get(name)?.latest

describe('prompts/registry', () => {
  it('starts a fresh registry below its comments, and removing the last version gives back the exact bytes', () => {
    const one = add(FRESH, 'summarize', '1.0.0')
    expect(one).to.equal(`${FRESH}prompts:\n  summarize:\n    latest: 1.0.0\n    versions:\n      1.0.0: prompts/summarize/1.0.0.md\n`)
    expect(remove(one, 'summarize', '1.0.0')).to.equal(FRESH)
    expect(removeVersion(one, 'summarize')).to.equal(FRESH)
  })

  it('generates 1.0.0, 1.1.0 and 2.0.0-beta.1: versions in semver order, latest 1.1.0', () => {
    const text = add(FRESH, 'summarize', '1.0.0', '1.1.0', '2.0.0-beta.1')
    const entry = readRegistry(text).get('summarize')!
    expect(entry.latest).to.equal('1.1.0')
    expect([...entry.versions]).to.deep.equal([
      ['1.0.0', 'prompts/summarize/1.0.0.md'],
      ['1.1.0', 'prompts/summarize/1.1.0.md'],
      ['2.0.0-beta.1', 'prompts/summarize/2.0.0-beta.1.md'],
    ])
    const patched = add(text, 'summarize', '1.0.1')
    expect(latestOf(patched, 'summarize'), '1.0.1 after 1.1.0 does not move latest back').to.equal('1.1.0')
    expect([...readRegistry(patched).get('summarize')!.versions.keys()]).to.deep.equal(['1.0.0', '1.0.1', '1.1.0', '2.0.0-beta.1'])
    expect(latestOf(add(text, 'summarize', '2.0.0'), 'summarize')).to.equal('2.0.0')
  })

  it('makes a lone prerelease latest, and the first release latest over it', () => {
    const beta = add(FRESH, 'draft', '2.0.0-beta.1')
    expect(latestOf(beta, 'draft')).to.equal('2.0.0-beta.1')
    expect(latestOf(add(beta, 'draft', '2.0.0-beta.2'), 'draft')).to.equal('2.0.0-beta.2')
    expect(latestOf(add(beta, 'draft', '1.0.0'), 'draft')).to.equal('1.0.0')
    expect(remove(add(beta, 'draft', '1.0.0'), 'draft', '1.0.0')).to.equal(beta)
  })

  it('writes the same bytes whatever order versions are generated in, and removing any of them equals never adding it', () => {
    const versions = ['1.0.0', '1.0.1', '1.1.0', '2.0.0-beta.1', '2.0.0']
    const reference = add(FRESH, 'summarize', ...versions)
    for (const order of permutations(versions)) expect(add(FRESH, 'summarize', ...order), order.join(' ')).to.equal(reference)
    for (let mask = 0; mask < 2 ** versions.length; mask++) {
      const removed = versions.filter((_, index) => mask & (1 << index))
      const kept = versions.filter((version) => !removed.includes(version))
      expect(remove(reference, 'summarize', ...removed), `without ${removed.join(', ')}`).to.equal(add(FRESH, 'summarize', ...kept))
    }
  })

  it('adds prompts after the last one and removes them in any order back to the exact bytes', () => {
    const states = [FRESH]
    for (const name of ['summarize', 'classify', 'reply']) states.push(add(states.at(-1)!, name, '1.0.0', '1.1.0'))
    expect(removeVersion(states[3], 'reply')).to.equal(states[2])
    expect(removeVersion(removeVersion(states[3], 'classify'), 'summarize')).to.equal(add(FRESH, 'reply', '1.0.0', '1.1.0'))
    expect(['summarize', 'reply', 'classify'].reduce((text, name) => removeVersion(text, name), states[3])).to.equal(FRESH)
  })

  it('keeps comments and spacing a user wrote, and adds nothing but its own lines', () => {
    const user = `# my registry
prompts:   # all of them

  # the summarizer
  summarize:
    latest: 2.0.0     # the one in production
    # versions we ship
    versions:
      1.0.0: prompts/summarize/1.0.0.md   # the first
      # 1.1.0 goes here
      2.0.0: prompts/summarize/2.0.0.md
    # after versions

# trailing words
`
    const added = add(user, 'summarize', '1.1.0')
    expect(added).to.equal(user.replace('      2.0.0:', '      1.1.0: prompts/summarize/1.1.0.md\n      2.0.0:'))
    expect(remove(added, 'summarize', '1.1.0')).to.equal(user)
    const ahead = add(user, 'summarize', '3.0.0')
    expect(ahead).to.equal(user.replace('latest: 2.0.0', 'latest: 3.0.0').replace('    # after versions', '      3.0.0: prompts/summarize/3.0.0.md\n    # after versions'))
    expect(remove(ahead, 'summarize', '3.0.0')).to.equal(user)
    const other = add(user, 'reply', '1.0.0')
    expect(other, 'after the comments indented under the last prompt').to.equal(user.replace('    # after versions\n', '    # after versions\n  reply:\n    latest: 1.0.0\n    versions:\n      1.0.0: prompts/reply/1.0.0.md\n'))
    expect(removeVersion(other, 'reply')).to.equal(user)
    const removedLatest = remove(user, 'summarize', '2.0.0')
    expect(removedLatest).to.equal(user.replace('latest: 2.0.0', 'latest: 1.0.0').replace('      2.0.0: prompts/summarize/2.0.0.md\n', ''))
  })

  it('moves a latest the user pinned back only forward from where it is, and back only when its version goes', () => {
    const pinned = add('', 'summarize', '1.0.0', '1.1.0').replace('latest: 1.1.0', 'latest: 1.0.0')
    expect(latestOf(add(pinned, 'summarize', '1.0.1'), 'summarize'), '1.0.1 is ahead of the pinned 1.0.0').to.equal('1.0.1')
    expect(latestOf(add(pinned, 'summarize', '1.2.0-rc.1'), 'summarize'), 'a prerelease is never ahead of a release').to.equal('1.0.0')
    expect(latestOf(remove(pinned, 'summarize', '1.1.0'), 'summarize')).to.equal('1.0.0')
    expect(latestOf(remove(pinned, 'summarize', '1.0.0'), 'summarize')).to.equal('1.1.0')
  })

  it('follows the indentation the file uses', () => {
    const four = 'prompts:\n    summarize:\n        latest: 1.0.0\n        versions:\n            1.0.0: prompts/summarize/1.0.0.md\n'
    expect(add(four, 'summarize', '1.1.0')).to.equal(`${four}            1.1.0: prompts/summarize/1.1.0.md\n`.replace('latest: 1.0.0', 'latest: 1.1.0'))
    expect(add(four, 'reply', '1.0.0')).to.equal(`${four}    reply:\n        latest: 1.0.0\n        versions:\n            1.0.0: prompts/reply/1.0.0.md\n`)
  })

  it('fills an empty "prompts:" or "prompts: {}", and a registry without a final newline', () => {
    const entry = '  summarize:\n    latest: 1.0.0\n    versions:\n      1.0.0: prompts/summarize/1.0.0.md\n'
    expect(add('# c\nprompts:\n', 'summarize', '1.0.0')).to.equal(`# c\nprompts:\n${entry}`)
    expect(add('prompts: {}\n', 'summarize', '1.0.0')).to.equal(`prompts:\n${entry}`)
    expect(add('# c', 'summarize', '1.0.0')).to.equal(`# c\nprompts:\n${entry}`)
    expect(add('', 'summarize', '1.0.0')).to.equal(`prompts:\n${entry}`)
  })

  it('completes an entry a user started by hand: no latest, no versions, or nothing at all', () => {
    const full = '  summarize:\n    latest: 1.0.0\n    versions:\n      1.0.0: prompts/summarize/1.0.0.md\n'
    expect(add('prompts:\n  summarize:\n    versions:\n', 'summarize', '1.0.0')).to.equal(`prompts:\n${full}`)
    expect(add('prompts:\n  summarize:\n    latest:\n    versions: {}\n', 'summarize', '1.0.0')).to.equal(`prompts:\n${full}`)
    expect(add('prompts:\n  summarize:\n', 'summarize', '1.0.0')).to.equal(`prompts:\n${full}`)
    expect(add('prompts:\n  summarize:\n    latest: 1.0.0\n', 'summarize', '1.0.0')).to.equal(`prompts:\n${full}`)
    const noLatest = 'prompts:\n  summarize:\n    versions:\n      1.1.0: prompts/summarize/1.1.0.md\n'
    expect(add(noLatest, 'summarize', '1.0.0')).to.equal('prompts:\n  summarize:\n    latest: 1.1.0\n    versions:\n      1.0.0: prompts/summarize/1.0.0.md\n      1.1.0: prompts/summarize/1.1.0.md\n')
  })

  it('leaves the text alone for a version already registered, or one it does not have', () => {
    const text = add(FRESH, 'summarize', '1.0.0')
    expect(add(text, 'summarize', '1.0.0')).to.equal(text)
    expect(removeVersion(text, 'summarize', '3.0.0')).to.equal(text)
    expect(removeVersion(text, 'other')).to.equal(text)
  })

  describe('a registry it cannot read or edit: a UserError naming the key', () => {
    const refusal = (run: () => unknown): string => {
      try {
        run()
      } catch (error) {
        expect(error).to.be.instanceOf(UserError)
        return (error as UserError).message
      }

      throw new Error('no error')
    }

    it('invalid YAML', () => expect(refusal(() => readRegistry('prompts: [\n'))).to.match(/^config\/prompts\.yaml: it is not valid YAML/))
    it('prompts as a list', () => expect(refusal(() => readRegistry('prompts:\n  - a\n'))).to.match(/"prompts" must map each prompt name/))
    it('a version that is not one', () => expect(refusal(() => readRegistry('prompts:\n  s:\n    versions:\n      "1.0": a.md\n'))).to.match(/prompts\.s\.versions has the key "1\.0"/))
    it('a latest that is not a version', () => expect(refusal(() => readRegistry('prompts:\n  s:\n    latest: newest\n'))).to.match(/prompts\.s\.latest is "newest"/))
    it('a path outside the project', () => expect(refusal(() => readRegistry('prompts:\n  s:\n    versions:\n      1.0.0: ../x.md\n'))).to.match(/prompts\.s\.versions\.1\.0\.0 is "\.\.\/x\.md", which is not a \.md file inside prompts\/; it must be/))
    // Regression (issue 12): an entry naming src/services.ts made `g prompt` overwrite it with markdown.
    for (const file of ['src/services.ts', 'prompts/../src/services.ts', 'prompts/s/../../src/services.ts', 'prompts\\..\\src\\x.md', '/etc/x.md', 'C:/x.md', 'prompts/s/1.0.0.ts', 'prompts/.md', 'x/prompts/s.md', 'prompts//s.md', './prompts/s.md']) {
      it(`a path that is not a .md file inside prompts/: ${file}`, () => {
        const message = refusal(() => readRegistry(`prompts:\n  s:\n    versions:\n      1.0.0: ${JSON.stringify(file)}\n`))
        expect(message).to.include(`prompts.s.versions.1.0.0 is ${JSON.stringify(file)}, which is not a .md file inside prompts/`)
        expect(message).to.include('e.g. "prompts/s/1.0.0.md"')
      })
    }

    it('accepts any .md file inside prompts/, not only prompts/<name>/<version>.md', () => {
      expect(readRegistry('prompts:\n  s:\n    versions:\n      1.0.0: prompts/shared/s-v1.md\n').get('s')?.versions.get('1.0.0')).to.equal('prompts/shared/s-v1.md')
    })
    it('flow style, when it has to edit inside it', () => {
      const flow = 'prompts:\n  s: {latest: 1.0.0, versions: {1.0.0: prompts/s/1.0.0.md}}\n'
      expect(readRegistry(flow).get('s')!.latest).to.equal('1.0.0')
      expect(refusal(() => add(flow, 's', '1.1.0'))).to.match(/flow style.*block style/)
    })
  })
})
