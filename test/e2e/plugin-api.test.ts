import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {errorText, REPO_ROOT, runCli} from '../helpers/cli.js'
import {snapshot, useTempDir} from '../helpers/fs.js'
import {linkPlugins} from '../helpers/plugins.js'
import {assertMatchesSchema} from '../helpers/schema.js'

describe('a plugin built on the core API', () => {
  const dir = useTempDir()

  it('adds a generator that runs through the core engine: dry run, commit, --json, and "g <kind>"', () => {
    const env = linkPlugins(join(dir.path, 'data'), [{name: 'restack-fixture-plugin', root: join(REPO_ROOT, 'test/fixtures/plugin')}])
    expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path}).status).to.equal(0)
    const root = join(dir.path, 'demo')
    const before = snapshot(root)
    const dry = runCli(['g', 'note', 'hello world', '--dry-run'], {cwd: root, env})
    expect(dry.status, dry.stderr).to.equal(0)
    expect(dry.stdout).to.match(/create {2}notes\/hello-world\.md\n\s+update {2}package\.json\nDry run: nothing was written\./)
    expect(snapshot(root)).to.deep.equal(before)
    const result = runCli(['generate:note', 'HelloWorld', '--json'], {cwd: root, env})
    expect(result.status, result.stderr).to.equal(0)
    const json = JSON.parse(result.stdout)
    assertMatchesSchema('entity-result', json)
    expect(json).to.include({kind: 'note', name: 'helloWorld'})
    expect(readFileSync(join(root, 'notes/hello-world.md'), 'utf8')).to.equal('# HelloWorld\n')
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts['note:hello-world']).to.equal('cat notes/hello-world.md')
  })

  it('reports its errors as the user\'s to fix through "g <kind>" too (the bundled dispatcher and the plugin hold two copies of the core)', () => {
    const env = linkPlugins(join(dir.path, 'data'), [{name: 'restack-fixture-plugin', root: join(REPO_ROOT, 'test/fixtures/plugin')}])
    expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path}).status).to.equal(0)
    const root = join(dir.path, 'demo')
    for (const form of [['g', 'note'], ['generate', 'note'], ['generate:note']]) {
      const result = runCli([...form, '1st-note'], {cwd: root, env})
      expect(result.status, form.join(' ')).to.equal(1)
      expect(errorText(result.stderr), form.join(' ')).to.match(/"1st-note" is not a valid/).and.not.match(/unexpected/)
    }
  })
})

describe('a plugin generator that adds dependencies', () => {
  const dir = useTempDir()

  it('says that "npm install" is needed, in a dry run and a real one', () => {
    const env = linkPlugins(join(dir.path, 'data'), [{name: '@restack/plugin-llm', root: join(REPO_ROOT, 'plugins/plugin-llm')}])
    expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path}).status).to.equal(0)
    const root = join(dir.path, 'demo')
    const dry = runCli(['g', 'llm-config', '--provider', 'openai', '--dry-run'], {cwd: root, env})
    expect(dry.status, dry.stderr).to.equal(0)
    expect(errorText(dry.stderr)).to.match(/This run would change package\.json's dependencies \(it adds cockatiel@\S+, zod@\S+\): after a real run, run "npm install"\./)
    const real = runCli(['g', 'llm-config', '--provider', 'openai'], {cwd: root, env})
    expect(real.status, real.stderr).to.equal(0)
    expect(errorText(real.stderr)).to.match(/package\.json's dependencies changed \(this run adds cockatiel@\S+, zod@\S+\): run "npm install"/)
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies).to.have.property('cockatiel')
    const again = runCli(['g', 'llm-config', '--provider', 'openai'], {cwd: root, env})
    expect(again.status, again.stderr).to.equal(0)
    expect(again.stderr, 'nothing to install on a rerun').not.to.match(/npm install/)
  })
})

describe('a plugin made for another core version', () => {
  const dir = useTempDir()

  it('gets a clear warning naming both versions and the fix, and the command still runs', () => {
    const env = linkPlugins(join(dir.path, 'data'), [{name: 'restack-old-plugin', root: join(REPO_ROOT, 'test/fixtures/old-plugin')}])
    const result = runCli(['--version'], {cwd: dir.path, env})
    expect(result.status).to.equal(0)
    expect(errorText(result.stderr)).to.match(/restack-old-plugin 0\.0\.1 is made for restack-gen \^9\.0\.0, and this is restack-gen \d+\.\d+\.\d+; .*restack plugins:update/)
  })

  it('says nothing about a plugin that matches', () => {
    const env = linkPlugins(join(dir.path, 'data'), [{name: 'restack-fixture-plugin', root: join(REPO_ROOT, 'test/fixtures/plugin')}])
    expect(runCli(['--version'], {cwd: dir.path, env}).stderr).to.equal('')
  })
})
