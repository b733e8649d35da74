import {expect} from 'chai'
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {promptsRule} from '../../src/doctor/rules/prompts.js'
import {DoctorContext, Finding} from '../../src/doctor/rule.js'
import {commit} from '../../src/engine/commit.js'
import {loadProject} from '../../src/engine/project.js'
import {silentReporter} from '../../src/engine/reporter.js'
import {Tree} from '../../src/engine/tree.js'
import {runNew} from '../../src/generators/new/run.js'
import {promptGenerator} from '../../src/generators/prompt/generator.js'
import {runEntity} from '../../src/generators/run.js'
import {readRegistry, REGISTRY_FILE} from '../../src/prompts/registry.js'
import {useTempDir} from '../helpers/fs.js'

describe('doctor rule: prompts', () => {
  const dir = useTempDir()
  let root: string

  const findings = async (): Promise<Finding[]> => {
    const context: DoctorContext = {cwd: root, env: {}, project: loadProject(root), root, typecheck: false}
    return promptsRule.run(context)
  }

  const codes = async (): Promise<string[]> => (await findings()).map((finding) => finding.code)
  const generate = (version: string, name = 'Summarize') => runEntity(promptGenerator, {name, version}, 'generate', {cwd: root}, silentReporter)
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), {recursive: true})
    writeFileSync(join(root, path), text)
  }

  beforeEach(async () => {
    root = (await runNew({app: 'demo', cwd: dir.path, skipGit: true, skipInstall: true}, silentReporter)).root
  })

  it('finds nothing in a fresh project, nor after generating prompts', async () => {
    expect(await findings()).to.deep.equal([])
    await generate('1.0.0')
    await generate('2.0.0-beta.1')
    expect(await findings()).to.deep.equal([])
  })

  it('reports a registered version whose file is missing, naming it and the fix', async () => {
    await generate('1.0.0')
    await generate('1.1.0')
    rmSync(join(root, 'prompts/summarize/1.1.0.md'))
    const [finding, ...rest] = await findings()
    expect(rest).to.deep.equal([])
    expect(finding).to.include({code: 'prompts/missing-file', severity: 'error'})
    expect(finding.message).to.equal('config/prompts.yaml registers version 1.1.0 of the prompt "summarize" at prompts/summarize/1.1.0.md, which does not exist.')
    expect(finding.fix).to.equal('Restore prompts/summarize/1.1.0.md, or unregister the version: restack destroy:prompt summarize --version 1.1.0.')
    expect(finding.repair).to.equal(undefined)
  })

  it('reports an unregistered prompt file, and repairs it by registering it as generate:prompt would', async () => {
    await generate('1.0.0')
    await generate('1.1.0')
    const registryBefore = readFileSync(join(root, REGISTRY_FILE), 'utf8')
    write('prompts/summarize/1.2.0.md', readFileSync(join(root, 'prompts/summarize/1.1.0.md'), 'utf8'))
    write('prompts/classify/draft.md', readFileSync(join(root, 'prompts/summarize/1.1.0.md'), 'utf8'))
    const found = await findings()
    expect(found.map((finding) => finding.code)).to.deep.equal(['prompts/unregistered-file', 'prompts/unregistered-file'])
    const [draft, version] = found
    expect(draft.message).to.equal('prompts/classify/draft.md is a prompt file that config/prompts.yaml does not register, so the loader never reads it.')
    expect(draft.fix).to.match(/Name it prompts\/<name>\/<version>\.md \(e\.g\. prompts\/classify\/1\.0\.0\.md\)/)
    expect(draft.repair, 'no version in the name: nothing safe to do').to.equal(undefined)
    expect(version.fix).to.match(/restack doctor --fix" adds "1\.2\.0: prompts\/summarize\/1\.2\.0\.md" under prompts\.summarize\.versions/)

    const tree = new Tree(root)
    version.repair!(tree)
    await commit(tree, {by: 'doctor'})
    const registry = readFileSync(join(root, REGISTRY_FILE), 'utf8')
    expect(registry).to.equal(registryBefore.replace(/^ {4}latest: 1\.1\.0$/m, '    latest: 1.2.0').replace(/^( {6}1\.1\.0: prompts\/summarize\/1\.1\.0\.md\n)/m, '$1      1.2.0: prompts/summarize/1.2.0.md\n'))
    expect(readRegistry(registry).get('summarize')!.latest).to.equal('1.2.0')
    expect(readFileSync(join(root, 'test/prompts/summarize.test.ts'), 'utf8')).to.include('["1.2.0", "1.2.0"],')
    expect(await codes()).to.deep.equal(['prompts/unregistered-file'])
  })

  it('reports a prompt file the loader would refuse', async () => {
    await generate('1.0.0')
    const file = join(root, 'prompts/summarize/1.0.0.md')
    writeFileSync(file, readFileSync(file, 'utf8').replace('{{input}}', '{{input}} {{tone}}'))
    const [finding] = await findings()
    expect(finding.code).to.equal('prompts/invalid-file')
    expect(finding.message).to.match(/prompts\/summarize\/1\.0\.0\.md \(summarize@1\.0\.0\) cannot be loaded: its text uses \{\{tone\}\}, which its front matter does not declare/)
  })

  it('reports a latest that names no version', async () => {
    await generate('1.0.0')
    const path = join(root, REGISTRY_FILE)
    writeFileSync(path, readFileSync(path, 'utf8').replace('    latest: 1.0.0\n', '    latest: 1.5.0\n'))
    const [finding] = await findings()
    expect(finding).to.include({code: 'prompts/unknown-latest', severity: 'error'})
    expect(finding.fix).to.equal('Set prompts.summarize.latest in config/prompts.yaml to one of its versions, e.g. "latest: 1.0.0".')
  })

  it('warns about a prompt test the registry has outgrown, and rewrites it unless the user edited it', async () => {
    await generate('1.0.0')
    await generate('1.1.0')
    const path = join(root, REGISTRY_FILE)
    writeFileSync(path, readFileSync(path, 'utf8').replace(/^ {4}latest: 1\.1\.0$/m, '    latest: 1.0.0'))
    const [finding, ...rest] = await findings()
    expect(rest).to.deep.equal([])
    expect(finding).to.include({code: 'prompts/stale-test', severity: 'warn'})
    expect(finding.message).to.match(/^test\/prompts\/summarize\.test\.ts checks the versions the prompt "summarize" had/)
    const tree = new Tree(root)
    finding.repair!(tree)
    expect((await commit(tree, {by: 'doctor'})).files.map((file) => `${file.action} ${file.path}`)).to.deep.equal(['update test/prompts/summarize.test.ts'])
    expect(readFileSync(join(root, 'test/prompts/summarize.test.ts'), 'utf8')).to.include('["latest", "1.0.0"],')
    expect(await findings()).to.deep.equal([])

    writeFileSync(path, readFileSync(path, 'utf8').replace(/^ {4}latest: 1\.0\.0$/m, '    latest: 1.1.0'))
    const test = join(root, 'test/prompts/summarize.test.ts')
    writeFileSync(test, `${readFileSync(test, 'utf8')}// mine\n`)
    expect(await findings(), 'a test the user edited is theirs').to.deep.equal([])
  })

  it('reports a registry it cannot read, once, without the generator wording', async () => {
    writeFileSync(join(root, REGISTRY_FILE), 'prompts:\n  summarize: [1.0.0]\n')
    const found = await findings()
    expect(found.map((finding) => finding.code)).to.deep.equal(['prompts/invalid-registry'])
    expect(found[0].message).to.equal('config/prompts.yaml: prompts.summarize must be a map with "latest" and "versions".')
  })

  it('gives every finding a one-line fix', async () => {
    await generate('1.0.0')
    rmSync(join(root, 'prompts/summarize/1.0.0.md'))
    write('prompts/other/1.0.0.md', '---\nvariables: {}\n---\nHello\n')
    for (const finding of await findings()) expect(finding.fix).not.to.include('\n')
  })
})
