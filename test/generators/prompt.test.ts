import {expect} from 'chai'
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {UserError} from '../../src/errors.js'
import {silentReporter} from '../../src/engine/reporter.js'
import {loadProject} from '../../src/engine/project.js'
import {Tree} from '../../src/engine/tree.js'
import {apply} from '../../src/generators/declarations.js'
import {runNew} from '../../src/generators/new/run.js'
import {PromptOptions, promptGenerator} from '../../src/generators/prompt/generator.js'
import {EntityResult, runEntity, WriteOptions} from '../../src/generators/run.js'
import {parsePromptFile} from '../../src/prompts/file.js'
import {readRegistry, REGISTRY_FILE} from '../../src/prompts/registry.js'
import {snapshot, useTempDir} from '../helpers/fs.js'

describe('generators/prompt', () => {
  const dir = useTempDir()
  let root: string

  const newProject = async (name = 'demo'): Promise<string> => {
    const result = await runNew({app: 'demo', cwd: join(dir.path, name === 'demo' ? '' : name), skipGit: true, skipInstall: true}, silentReporter)
    return result.root
  }

  const generate = (options: PromptOptions, write: Partial<WriteOptions> = {}, cwd = root): Promise<EntityResult> =>
    runEntity(promptGenerator, options, 'generate', {cwd, ...write}, silentReporter)
  const destroy = (options: PromptOptions, write: Partial<WriteOptions> = {}, cwd = root): Promise<EntityResult> =>
    runEntity(promptGenerator, options, 'destroy', {cwd, ...write}, silentReporter)
  const failure = (promise: Promise<unknown>): Promise<UserError> =>
    promise.then(
      () => {
        throw new Error('expected a UserError')
      },
      (error: unknown) => {
        expect(error).to.be.instanceOf(UserError)
        return error as UserError
      },
    )
  const read = (path: string, at = root): string => readFileSync(join(at, path), 'utf8')
  const actions = (result: EntityResult): string[] => result.files.map((file) => `${file.action} ${file.path}`)

  beforeEach(async () => {
    const {mkdirSync} = await import('node:fs')
    for (const sub of ['reference', 'other']) mkdirSync(join(dir.path, sub))
    root = await newProject()
  })

  it('plans on the in-memory tree: the version file, the registry and the prompt test, touching no disk', async () => {
    const before = snapshot(root)
    const tree = new Tree(root)
    const prepared = promptGenerator.prepare(loadProject(root), tree, {name: 'summarize text', version: '1.0.0'}, 'generate')
    await apply(tree, prepared.declarations, 'generate', prepared.context)
    expect(tree.changes().map((change) => `${change.intent} ${change.path}`)).to.deep.equal([
      'create prompts/summarizeText/1.0.0.md',
      `update ${REGISTRY_FILE}`,
      'create test/prompts/summarizeText.test.ts',
    ])
    expect(snapshot(root)).to.deep.equal(before)
  })

  it('writes a prompt file whose front matter declares the variable its text uses', async () => {
    const result = await generate({name: 'Summarize'})
    expect(result).to.include({exportName: 'summarize', kind: 'prompt', mode: 'generate', name: 'summarize'})
    expect(actions(result)).to.deep.equal(['create prompts/summarize/1.0.0.md', `update ${REGISTRY_FILE}`, 'create test/prompts/summarize.test.ts'])
    const file = parsePromptFile(read('prompts/summarize/1.0.0.md'))
    expect([...file.variables.keys()]).to.deep.equal(['input'])
    expect(file.text).to.include('{{input}}')
    expect(read('prompts/summarize/1.0.0.md')).to.include('renderPrompt("summarize", { input }, "1.0.0")')
  })

  it('generates 1.0.0, 1.1.0 and 2.0.0-beta.1: the registry in semver order, latest 1.1.0, and a test of what each selector loads', async () => {
    for (const version of ['1.0.0', '1.1.0', '2.0.0-beta.1']) await generate({name: 'Summarize', version})
    const entry = readRegistry(read(REGISTRY_FILE)).get('summarize')!
    expect(entry.latest).to.equal('1.1.0')
    expect([...entry.versions.keys()]).to.deep.equal(['1.0.0', '1.1.0', '2.0.0-beta.1'])
    const test = read('test/prompts/summarize.test.ts')
    for (const row of ['["latest", "1.1.0"]', '["1", "1.1.0"]', '["1.0", "1.0.0"]', '["1.1", "1.1.0"]', '["1.1.0", "1.1.0"]', '["2.0.0-beta.1", "2.0.0-beta.1"]']) {
      expect(test).to.include(`    ${row},\n`)
    }

    expect(test).to.include('for (const selector of ["2", "2.0"])')
    await generate({name: 'Summarize', version: '1.0.1'})
    expect(readRegistry(read(REGISTRY_FILE)).get('summarize')!.latest, '1.0.1 after 1.1.0 leaves latest').to.equal('1.1.0')
  })

  it('keeps comments the user wrote in config/prompts.yaml', async () => {
    await generate({name: 'Summarize'})
    const edited = read(REGISTRY_FILE).replace(/^ {2}summarize:\n/m, '  # our summarizer, reviewed by legal\n  summarize:   # keep it short\n') + '# end of registry\n'
    writeFileSync(join(root, REGISTRY_FILE), edited)
    await generate({name: 'Summarize', version: '1.1.0'})
    await generate({name: 'Classify'})
    const text = read(REGISTRY_FILE)
    for (const comment of ['# our summarizer, reviewed by legal\n', '  summarize:   # keep it short\n', '# end of registry\n']) expect(text).to.include(comment)
    await destroy({name: 'Classify'})
    await destroy({name: 'Summarize', version: '1.1.0'})
    expect(read(REGISTRY_FILE)).to.equal(edited)
  })

  it('returns the project to its exact bytes after generate and destroy, in any interleaving', async () => {
    const states = [snapshot(root)]
    const versions = ['1.0.0', '1.1.0', '2.0.0-beta.1']
    for (const version of versions) {
      await generate({name: 'Summarize', version})
      states.push(snapshot(root))
    }

    await destroy({name: 'Summarize', version: '2.0.0-beta.1'})
    expect(snapshot(root), 'destroying the last').to.deep.equal(states[2])
    await generate({name: 'Summarize', version: '2.0.0-beta.1'})
    expect(snapshot(root), 'generating it again').to.deep.equal(states[3])

    await destroy({name: 'Summarize', version: '1.1.0'})
    const reference = await newProject('reference')
    for (const version of ['1.0.0', '2.0.0-beta.1']) await generate({name: 'Summarize', version}, {}, reference)
    expect(snapshot(root), 'destroying one in the middle moves latest back').to.deep.equal(snapshot(reference))
    expect(readRegistry(read(REGISTRY_FILE)).get('summarize')!.latest).to.equal('1.0.0')

    await generate({name: 'Classify'})
    await destroy({name: 'Summarize'})
    const other = await newProject('other')
    await generate({name: 'Classify'}, {}, other)
    expect(snapshot(root), 'destroying every version of one prompt, with another one there').to.deep.equal(snapshot(other))
    await destroy({name: 'classify'})
    expect(snapshot(root), 'destroying everything').to.deep.equal(states[0])
  })

  it('leaves every file byte-identical when run again', async () => {
    await generate({name: 'Summarize', version: '1.1.0'})
    const once = snapshot(root)
    const again = await generate({name: 'summarize', version: '1.1.0'})
    expect(snapshot(root)).to.deep.equal(once)
    expect(again.files.every((file) => file.action === 'identical')).to.equal(true)
  })

  it('plans in a dry run exactly what the real run does, and writes nothing', async () => {
    await generate({name: 'Summarize'})
    const before = snapshot(root)
    const dry = await generate({name: 'Summarize', version: '1.1.0'}, {dryRun: true})
    expect(snapshot(root)).to.deep.equal(before)
    const real = await generate({name: 'Summarize', version: '1.1.0'})
    expect(actions(dry)).to.deep.equal(actions(real))
    expect(actions(real)).to.deep.equal(['create prompts/summarize/1.1.0.md', `update ${REGISTRY_FILE}`, 'update test/prompts/summarize.test.ts'])
  })

  describe('refuses, writing nothing', () => {
    const refuses = async (promise: () => Promise<unknown>, pattern: RegExp): Promise<void> => {
      const before = snapshot(root)
      const error = await failure(promise())
      expect(error.message).to.match(pattern)
      expect(error.message).not.to.include('\n')
      expect(snapshot(root)).to.deep.equal(before)
    }

    it('a version that is not semver', () => refuses(() => generate({name: 'Summarize', version: 'abc'}), /^"abc" is not a valid prompt version.*--version 1\.0\.0/))
    it('a version to destroy that is not semver', () => refuses(() => destroy({name: 'Summarize', version: '1.0'}), /"1\.0" is not a valid prompt version/))
    it('"loader" as a name', () => refuses(() => generate({name: 'Loader'}), /"Loader" cannot be a prompt's name: test\/prompts\/loader\.test\.ts/))
    it('a name that is not one', () => refuses(() => generate({name: '2fast'}), /"2fast" is not a valid prompt name: a name must start with a letter/))
    it('a prompt that does not exist', () => refuses(() => destroy({name: 'Summarize'}), /There is no prompt "summarize" to destroy/))

    it('a version that does not exist', async () => {
      await generate({name: 'Summarize'})
      await refuses(() => destroy({name: 'Summarize', version: '1.1.0'}), /There is no version 1\.1\.0 of the prompt "summarize" to destroy: it has 1\.0\.0\./)
    })

    it('a version that exists with other content, unless --force or --skip', async () => {
      await generate({name: 'Summarize'})
      const file = join(root, 'prompts/summarize/1.0.0.md')
      writeFileSync(file, readFileSync(file, 'utf8').replace('careful assistant', 'terse assistant'))
      await refuses(() => generate({name: 'Summarize', version: '1.0.0'}), /would overwrite "prompts\/summarize\/1\.0\.0\.md".*Nothing was written.*--force.*--skip/)
      const skipped = await generate({name: 'Summarize', version: '1.0.0'}, {skip: true})
      expect(actions(skipped)).to.include('skip prompts/summarize/1.0.0.md')
      expect(read('prompts/summarize/1.0.0.md')).to.include('terse assistant')
      await refuses(() => destroy({name: 'Summarize'}), /would delete "prompts\/summarize\/1\.0\.0\.md", which was changed since restack generated it/)
      await generate({name: 'Summarize', version: '1.0.0'}, {force: true})
      expect(read('prompts/summarize/1.0.0.md')).to.include('careful assistant')
    })

    it('a project without the prompt loader', async () => {
      rmSync(join(root, 'src/prompts/loader.ts'))
      await refuses(() => generate({name: 'Summarize'}), /no prompt loader \(src\/prompts\/loader\.ts\).*fresh "restack new"/)
    })

    it('a registry that is not valid', async () => {
      writeFileSync(join(root, REGISTRY_FILE), 'prompts:\n  summarize:\n    latest: newest\n')
      await refuses(() => generate({name: 'Summarize'}), /config\/prompts\.yaml: prompts\.summarize\.latest is "newest"/)
    })
  })

  it('destroys a version whose file is already gone, and a file that was never registered', async () => {
    await generate({name: 'Summarize'})
    await generate({name: 'Summarize', version: '1.1.0'})
    rmSync(join(root, 'prompts/summarize/1.1.0.md'))
    await destroy({name: 'Summarize', version: '1.1.0'})
    expect([...readRegistry(read(REGISTRY_FILE)).get('summarize')!.versions.keys()]).to.deep.equal(['1.0.0'])
    writeFileSync(join(root, 'prompts/summarize/3.0.0.md'), read('prompts/summarize/1.0.0.md'))
    await destroy({name: 'Summarize'}, {force: true})
    expect(readRegistry(read(REGISTRY_FILE)).has('summarize')).to.equal(false)
    expect(snapshot(root)).not.to.have.property('prompts/')
  })
})
