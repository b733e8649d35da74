import {expect} from 'chai'
import {chownSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {TXN_DIR, writeJournal} from '../../src/engine/journal.js'
import {planJournal} from '../../src/engine/write.js'
import {errorText, isOneParagraph, NODE_HAS_COMPILE_CACHE, runCli} from '../helpers/cli.js'
import {snapshot, tempDir} from '../helpers/fs.js'

/**
 * Regressions for the adversarial review of the CommonJS start-up (bin/code-cache.cjs), the valibot
 * restack.yaml schema, the tool-server rerun and the settlement of a killed init. Every test here failed
 * on the code it was written against (base e059df4).
 */
describe('attack-4: start-up, restack.yaml and reruns under an adversary', () => {
  let dir: ReturnType<typeof tempDir>
  let template: string

  before(() => {
    dir = tempDir('restack-attack-4-')
    const created = runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path, env: {RESTACK_CODE_CACHE: '0'}})
    expect(created.status, created.stderr).to.equal(0)
    template = join(dir.path, 'demo')
  })

  after(() => dir?.cleanup())

  const copy = (label: string): string => {
    const project = join(dir.path, label)
    cpSync(template, project, {recursive: true})
    return project
  }

  describe('the V8 code cache', () => {
    for (const [label, env] of [
      ['HOME is empty', {HOME: '', XDG_CACHE_HOME: ''}],
      ['HOME is relative', {HOME: 'home', XDG_CACHE_HOME: ''}],
      ['XDG_CACHE_HOME is relative', {XDG_CACHE_HOME: 'cache'}],
      ['RESTACK_CODE_CACHE_DIR is relative', {RESTACK_CODE_CACHE_DIR: 'v8'}],
    ] as const) {
      it(`writes nothing into the project a read-only command runs in when ${label}`, function () {
        if (NODE_HAS_COMPILE_CACHE) this.skip()
        const project = copy(label.replaceAll(' ', '-'))
        const before = snapshot(project)
        const env2: NodeJS.ProcessEnv = {...env}
        if (!('RESTACK_CODE_CACHE_DIR' in env)) env2.RESTACK_CODE_CACHE_DIR = ''
        const listed = runCli(['list'], {cwd: project, env: env2})
        expect(listed.status, listed.stderr).to.equal(0)
        expect(listed.stderr).to.equal('')
        expect(snapshot(project)).to.deep.equal(before)
      })
    }
  })

  it('survives a cache file whose V8 data is damaged past its header (V8 aborted the process on every run: exit 133)', function () {
    if (NODE_HAS_COMPILE_CACHE) this.skip()
    const project = copy('damaged-cache')
    const env = {RESTACK_CODE_CACHE_DIR: join(dir.path, 'damaged-v8')}
    const reference = runCli(['list', '--json'], {cwd: project, env})
    expect(reference.status, reference.stderr).to.equal(0)
    const versioned = join(env.RESTACK_CODE_CACHE_DIR, readdirSync(env.RESTACK_CODE_CACHE_DIR)[0])
    for (const name of readdirSync(versioned)) {
      const bytes = readFileSync(join(versioned, name))
      // the header (magic, stamp, checksum) stays; bytes of V8's data flip, as a bad disk block would
      for (let at = 200; at < bytes.length; at += Math.max(1, Math.floor(bytes.length / 40))) bytes[at] ^= 0xff
      writeFileSync(join(versioned, name), bytes)
    }

    for (const round of ['damaged', 'rewritten']) {
      const listed = runCli(['list', '--json'], {cwd: project, env})
      expect(listed.status, `${round}: ${listed.stderr.slice(0, 400)}`).to.equal(0)
      expect(listed.stdout).to.equal(reference.stdout)
      expect(listed.stderr).to.equal('')
    }
  })

  describe('settling a killed init from a folder below it', () => {
    it("never replays another user's journal planted in a parent folder (as in /tmp): restack list in a folder below writes nothing", function () {
      if (process.geteuid?.() !== 0) {
        console.warn('    needs root, to give the journal to another user')
        this.skip()
      }

      const shared = join(dir.path, 'shared-tmp')
      mkdirSync(join(shared, 'victim'), {recursive: true})
      writeFileSync(join(shared, 'victim/run.sh'), 'echo mine\n')
      mkdirSync(join(shared, TXN_DIR), {recursive: true})
      writeJournal(shared, planJournal(shared, [{content: 'echo planted\n', path: 'victim/run.sh'}]))
      chownSync(join(shared, TXN_DIR), 65_534, 65_534)
      chownSync(join(shared, TXN_DIR, 'journal.json'), 65_534, 65_534)
      const before = snapshot(shared)
      const result = runCli(['list'], {cwd: join(shared, 'victim')})
      expect(errorText(result.stderr)).to.include('is not inside a restack project')
      expect(readFileSync(join(shared, 'victim/run.sh'), 'utf8')).to.equal('echo mine\n')
      expect(snapshot(shared)).to.deep.equal(before)
    })

    for (const args of [['list'], ['g', 'function', 'Charge']]) {
      it(`restack ${args.join(' ')} leaves another tool's .restack/txn in a parent folder alone (it removed it, files and all)`, () => {
        const parent = join(dir.path, `foreign-${args[0]}`)
        mkdirSync(join(parent, '.restack/txn'), {recursive: true})
        writeFileSync(join(parent, '.restack/txn/data'), 'not restack\'s\n')
        mkdirSync(join(parent, 'child'))
        const before = snapshot(parent)
        const result = runCli(args, {cwd: join(parent, 'child')})
        expect(result.status, result.stdout).to.equal(1)
        expect(errorText(result.stderr)).to.include('is not inside a restack project')
        expect(isOneParagraph(result.stderr)).to.equal(true)
        expect(snapshot(parent)).to.deep.equal(before)
      })
    }
  })
})
