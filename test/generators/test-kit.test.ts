import {expect} from 'chai'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {commit} from '../../src/engine/commit.js'
import {Tree} from '../../src/engine/tree.js'
import {KIT_HELPER, planTestKit, removeTestKit} from '../../src/generators/test-kit.js'
import {snapshot, tempDir} from '../helpers/fs.js'

describe('generators/test-kit', () => {
  let dir: ReturnType<typeof tempDir>
  beforeEach(() => {
    dir = tempDir('restack-kit-')
  })
  afterEach(() => dir.cleanup())

  const project = (files: Record<string, string>): string => {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(dir.path, path, '..'), {recursive: true})
      writeFileSync(join(dir.path, path), content)
    }

    return dir.path
  }

  it('plans what a project lacks (sections, devDependencies, test script, helpers), keeps what it has, and takes exactly that back', async () => {
    const root = project({
      '.mocharc.yml': 'spec: spec/**/*.ts\n',
      'package.json': '{\n  "name": "bare",\n  "devDependencies": {\n    "mocha": "^10.0.0"\n  }\n}\n',
      'restack.yaml': 'restack: 1\n',
    })
    const before = snapshot(root)
    const tree = new Tree(root)
    await planTestKit(tree, 'support-agents')
    await commit(tree, {by: 'function:notify'})
    const pkg = JSON.parse(tree.read('package.json')!)
    expect(pkg.devDependencies.mocha).to.equal('^10.0.0') // the user's version stays
    expect(Object.keys(pkg.devDependencies)).to.include.members(['chai', '@temporalio/testing', '@temporalio/worker'])
    expect(pkg.scripts).to.deep.equal({test: 'mocha'})
    expect(new Tree(root).read(KIT_HELPER)).to.include('const DEFAULT_TASK_QUEUE = "support-agents";')
    expect(new Tree(root).exists('.mocharc.json')).to.equal(false) // the project has a mocharc of its own
    expect(new Tree(root).read('restack.yaml')).to.match(/^testKit: \[.*"section:scripts".*"script:test"\]$/m)

    const again = new Tree(root)
    await planTestKit(again, 'support-agents')
    expect(again.changes()).to.deep.equal([]) // the kit is there: nothing more

    const used = new Tree(root)
    await removeTestKit(used, (path) => (path === KIT_HELPER ? ['test/functions/notify.test.ts'] : []))
    expect(used.changes()).to.deep.equal([]) // a test still imports the helper

    const destroy = new Tree(root)
    await removeTestKit(destroy, (path) => (path === KIT_HELPER ? ['test/helpers/bundle.ts'] : []))
    await commit(destroy, {by: 'function:notify'})
    const after = snapshot(root)
    delete after['.restack/']
    delete after['.restack/ledger.json']
    expect(after).to.deep.equal(before)
  })
})
