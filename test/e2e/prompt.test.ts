import {expect} from 'chai'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {CliResult, errorText, isOneParagraph, runCli} from '../helpers/cli.js'
import {snapshot, useTempDir} from '../helpers/fs.js'
import {assertMatchesSchema} from '../helpers/schema.js'

const planLines = (stdout: string): string[] => stdout.split('\n').filter((line) => /^\s*(create|identical|force|conflict|update|skip|delete)\s{2}/.test(line))

describe('restack generate:prompt and destroy:prompt', () => {
  const dir = useTempDir()
  let root: string
  const newProject = (folder: string): string => {
    const result = runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: folder})
    expect(result.status, result.stderr).to.equal(0)
    return join(folder, 'demo')
  }

  const ok = (cwd: string, ...args: string[]): CliResult => {
    const result = runCli(args, {cwd})
    expect(result.status, `${args.join(' ')}: ${result.stderr}`).to.equal(0)
    return result
  }

  const registry = (): string => readFileSync(join(root, 'config/prompts.yaml'), 'utf8')
  /** The `prompts:` part of the registry: what follows the comments `restack new` writes. */
  const entries = (): string => registry().slice(registry().indexOf('\nprompts:\n') + 1)

  beforeEach(() => {
    root = newProject(dir.path)
  })

  it('registers 1.0.0, 1.1.0 and 2.0.0-beta.1 in semver order; latest is 1.1.0 and never moves back', () => {
    ok(root, 'g', 'prompt', 'Summarize')
    ok(root, 'generate:prompt', 'Summarize', '--version', '1.1.0')
    ok(root, 'generate', 'prompt', 'summarize', '--version', '2.0.0-beta.1')
    expect(entries()).to.equal(
      [
        'prompts:',
        '  summarize:',
        '    latest: 1.1.0',
        '    versions:',
        '      1.0.0: prompts/summarize/1.0.0.md',
        '      1.1.0: prompts/summarize/1.1.0.md',
        '      2.0.0-beta.1: prompts/summarize/2.0.0-beta.1.md',
        '',
      ].join('\n'),
    )
    ok(root, 'g', 'prompt', 'Summarize', '--version', '1.0.1')
    expect(entries()).to.include('    latest: 1.1.0\n').and.include('      1.0.0: prompts/summarize/1.0.0.md\n      1.0.1: prompts/summarize/1.0.1.md\n      1.1.0:')
    const test = readFileSync(join(root, 'test/prompts/summarize.test.ts'), 'utf8')
    for (const row of ['["latest", "1.1.0"]', '["1", "1.1.0"]', '["1.0", "1.0.1"]', '["1.1.0", "1.1.0"]', '["2.0.0-beta.1", "2.0.0-beta.1"]']) expect(test).to.include(row)
  })

  it('keeps comments a user wrote in config/prompts.yaml, byte for byte, through generate and destroy', () => {
    ok(root, 'g', 'prompt', 'Summarize')
    const path = join(root, 'config/prompts.yaml')
    const edited = `${registry().replace(/^ {4}latest: 1\.0\.0$/m, '    latest: 1.0.0    # what production uses')}# prompts reviewed by legal live above\n`
    writeFileSync(path, edited)
    ok(root, 'g', 'prompt', 'Summarize', '--version', '1.1.0')
    ok(root, 'g', 'prompt', 'Classify')
    expect(registry()).to.include('    latest: 1.1.0    # what production uses\n').and.include('# prompts reviewed by legal live above\n')
    ok(root, 'd', 'prompt', 'Classify')
    ok(root, 'destroy:prompt', 'Summarize', '--version', '1.1.0')
    expect(registry()).to.equal(edited)
  })

  it('returns every file to its exact bytes after generate and destroy in any interleaving', () => {
    const states = [snapshot(root)]
    const versions = ['1.0.0', '1.1.0', '2.0.0-beta.1']
    for (const version of versions) {
      ok(root, 'g', 'prompt', 'Summarize', '--version', version)
      states.push(snapshot(root))
    }

    ok(root, 'd', 'prompt', 'Summarize', '--version', '2.0.0-beta.1')
    expect(snapshot(root), 'destroying the last').to.deep.equal(states[2])
    ok(root, 'g', 'prompt', 'Summarize', '--version', '2.0.0-beta.1')
    expect(snapshot(root), 'generating it again').to.deep.equal(states[3])

    ok(root, 'd', 'prompt', 'Summarize', '--version', '1.1.0')
    mkdirSync(join(dir.path, 'reference'))
    const reference = newProject(join(dir.path, 'reference'))
    for (const version of ['1.0.0', '2.0.0-beta.1']) ok(reference, 'g', 'prompt', 'Summarize', '--version', version)
    expect(snapshot(root), 'destroying one in the middle, latest back to 1.0.0').to.deep.equal(snapshot(reference))

    ok(root, 'd', 'prompt', 'Summarize')
    expect(snapshot(root), 'destroying every version').to.deep.equal(states[0])
  })

  it('prints in a dry run exactly what the real run does, and writes nothing', () => {
    ok(root, 'g', 'prompt', 'Summarize')
    const before = snapshot(root)
    const dry = ok(root, 'g', 'prompt', 'Summarize', '--version', '1.1.0', '--dry-run')
    expect(snapshot(root)).to.deep.equal(before)
    expect(dry.stdout).to.match(/Dry run: nothing was written/)
    const real = ok(root, 'g', 'prompt', 'Summarize', '--version', '1.1.0')
    expect(planLines(real.stdout)).to.deep.equal(planLines(dry.stdout))
    expect(planLines(real.stdout).map((line) => line.trim())).to.deep.equal([
      'create  prompts/summarize/1.1.0.md',
      'update  config/prompts.yaml',
      'update  test/prompts/summarize.test.ts',
    ])
    const again = ok(root, 'g', 'prompt', 'Summarize', '--version', '1.1.0')
    expect(planLines(again.stdout).every((line) => line.trim().startsWith('identical'))).to.equal(true)
  })

  it('answers --json with results that match the entity-result schema', () => {
    const generated = JSON.parse(ok(root, 'g', 'prompt', 'Summarize', '--json').stdout)
    assertMatchesSchema('entity-result', generated)
    expect(generated).to.include({exportName: 'summarize', kind: 'prompt', mode: 'generate', name: 'summarize'})
    const dry = JSON.parse(ok(root, 'generate:prompt', 'Summarize', '--version', '1.1.0', '--json', '--dry-run', '--diff').stdout)
    assertMatchesSchema('entity-result', dry)
    expect(dry.files.find((file: {path: string}) => file.path === 'config/prompts.yaml').diff).to.include('+      1.1.0: prompts/summarize/1.1.0.md')
    const destroyed = JSON.parse(ok(root, 'd', 'prompt', 'Summarize', '--json').stdout)
    assertMatchesSchema('entity-result', destroyed)
    expect(destroyed).to.include({kind: 'prompt', mode: 'destroy'})
  })

  describe('bad input: one paragraph, exit 1, the project byte-identical', () => {
    const refuses = (args: string[], pattern: RegExp) => {
      const before = snapshot(root)
      const result = runCli(args, {cwd: root})
      expect(result.status, result.stdout + result.stderr).to.equal(1)
      expect(errorText(result.stderr)).to.match(pattern)
      expect(isOneParagraph(result.stderr), result.stderr).to.equal(true)
      expect(result.stderr).not.to.match(/\n\s+at /)
      expect(snapshot(root)).to.deep.equal(before)
    }

    it('--version abc', () => refuses(['g', 'prompt', 'Summarize', '--version', 'abc'], /^Error: "abc" is not a valid prompt version: .*Use a semantic version such as --version 1\.0\.0.*Nothing was written\.$/))
    it('--version 1.2', () => refuses(['g', 'prompt', 'Summarize', '--version', '1.2'], /"1\.2" is not a valid prompt version: a version has three numbers, e\.g\. "1\.2\.0"/))

    it('a version that exists with other content, unless --force or --skip', () => {
      ok(root, 'g', 'prompt', 'Summarize')
      const file = join(root, 'prompts/summarize/1.0.0.md')
      writeFileSync(file, `${readFileSync(file, 'utf8')}One more line of mine.\n`)
      refuses(['g', 'prompt', 'Summarize', '--version', '1.0.0'], /would overwrite "prompts\/summarize\/1\.0\.0\.md", which differs from what restack generates\. Nothing was written\. Pass --force.*--skip/)
      expect(planLines(ok(root, 'g', 'prompt', 'Summarize', '--skip').stdout).map((line) => line.trim())).to.include('skip  prompts/summarize/1.0.0.md')
      expect(readFileSync(file, 'utf8')).to.include('One more line of mine.')
      ok(root, 'g', 'prompt', 'Summarize', '--force')
      expect(readFileSync(file, 'utf8')).not.to.include('One more line of mine.')
    })

    it('a version to destroy that the prompt does not have', () => {
      ok(root, 'g', 'prompt', 'Summarize')
      refuses(['d', 'prompt', 'Summarize', '--version', '3.0.0'], /There is no version 3\.0\.0 of the prompt "summarize" to destroy: it has 1\.0\.0\./)
    })

    it('a prompt that does not exist', () => refuses(['d', 'prompt', 'Summarize'], /There is no prompt "summarize" to destroy/))
  })
})
