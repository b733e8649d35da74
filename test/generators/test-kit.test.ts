import {expect} from 'chai'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {commit} from '../../src/engine/commit.js'
import {Tree} from '../../src/engine/tree.js'
import {KIT_HELPER, KIT_WORKFLOWS, planTestKit, removeTestKit, syncKitWorkflows} from '../../src/generators/test-kit.js'
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

  it('writes the kit\'s workflows module for the barrels the project has, follows them as they come and go, and leaves a module the user changed alone', async () => {
    const header = '// Every agent and workflow of this project as one module: a Temporal worker loads a single workflows module.\n'
    const agents = 'export * from "../../src/agents";\n'
    const workflows = 'export * from "../../src/workflows";\n'
    const root = project({'package.json': '{\n  "name": "chat"\n}\n', 'restack.yaml': 'restack: 1\n', 'src/agents/index.ts': 'export * from "./agent";\n'})
    const tree = new Tree(root)
    await planTestKit(tree, 'restack')
    expect(tree.read(KIT_WORKFLOWS)).to.equal(header + agents) // agents only: no src/workflows to re-export

    tree.create('src/workflows/index.ts', 'export * from "./report";\n')
    await syncKitWorkflows(tree)
    expect(tree.read(KIT_WORKFLOWS)).to.equal(header + agents + workflows)

    tree.delete('src/workflows/index.ts')
    await syncKitWorkflows(tree)
    expect(tree.read(KIT_WORKFLOWS)).to.equal(header + agents)

    tree.update(KIT_WORKFLOWS, header + agents + 'export * from "../../lib/flows";\n')
    tree.create('src/workflows/index.ts', '')
    await syncKitWorkflows(tree)
    expect(tree.read(KIT_WORKFLOWS)).to.equal(header + agents + 'export * from "../../lib/flows";\n') // the user's module stays theirs
  })
})
