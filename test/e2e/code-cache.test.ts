import {expect} from 'chai'
import {createHash} from 'node:crypto'
import {cpSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {NODE_HAS_COMPILE_CACHE, REPO_ROOT, runCli} from '../helpers/cli.js'
import {snapshot, tempDir} from '../helpers/fs.js'

/**
 * bin/code-cache.cjs: on Node without module.enableCompileCache the CLI's bundles compile from a V8 code
 * cache. A cached run must do exactly what an uncached one does, a bad or stale cache file must only cost
 * a recompile, and the cache must never be able to break a command.
 */
describe('the V8 code cache of the CLI bundles', function () {
  let dir: ReturnType<typeof tempDir>
  let template: string

  before(function () {
    if (NODE_HAS_COMPILE_CACHE) {
      console.warn('    this Node has module.enableCompileCache: bin/run.js uses it instead of bin/code-cache.cjs')
      this.skip()
    }

    dir = tempDir('restack-code-cache-')
    const created = runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path, env: {RESTACK_CODE_CACHE: '0'}})
    expect(created.status, created.stderr).to.equal(0)
    template = join(dir.path, 'demo')
  })

  after(() => dir?.cleanup())

  /** Runs `g function Charge` in a fresh copy of the new project. */
  const generate = (label: string, env: NodeJS.ProcessEnv): {files: Record<string, string>; result: ReturnType<typeof runCli>} => {
    const project = join(dir.path, label)
    cpSync(template, project, {recursive: true})
    const result = runCli(['g', 'function', 'Charge'], {cwd: project, env})
    return {files: snapshot(project), result}
  }

  const entries = (cache: string): Record<string, number> => {
    const versioned = join(cache, readdirSync(cache)[0])
    return Object.fromEntries(readdirSync(versioned).map((name) => [name, statSync(join(versioned, name)).mtimeMs]))
  }

  it('writes the cache on a first run, compiles from it on the next, and both do what an uncached run does', () => {
    const cache = join(dir.path, 'cache-a')
    const uncached = generate('uncached', {RESTACK_CODE_CACHE: '0', RESTACK_CODE_CACHE_DIR: join(dir.path, 'never')})
    expect(uncached.result.status, uncached.result.stderr).to.equal(0)
    expect(() => readdirSync(join(dir.path, 'never'))).to.throw(/ENOENT/)

    const first = generate('first', {RESTACK_CODE_CACHE_DIR: cache})
    expect(first.result.status, first.result.stderr).to.equal(0)
    const written = entries(cache)
    // the vendor bundle, the command's bundle, the init hook, the two templates
    expect(Object.keys(written).length).to.be.at.least(4)

    const second = generate('second', {RESTACK_CODE_CACHE_DIR: cache})
    expect(second.result.status, second.result.stderr).to.equal(0)
    // Accepted by V8: a rejected cache is written again after the run.
    expect(entries(cache)).to.deep.equal(written)
    for (const run of [first, second]) {
      expect(run.result.stdout).to.equal(uncached.result.stdout)
      expect(run.files).to.deep.equal(uncached.files)
    }
  })

  it('recompiles and rewrites a cache file V8 rejects (corrupt) or that belongs to another build (stale), and the command still works', () => {
    const cache = join(dir.path, 'cache-b')
    expect(generate('warm', {RESTACK_CODE_CACHE_DIR: cache}).result.status).to.equal(0)
    const versioned = join(cache, readdirSync(cache)[0])
    const names = readdirSync(versioned)
    const [corrupt, stale] = [...names].sort((a, b) => statSync(join(versioned, b)).size - statSync(join(versioned, a)).size)
    const original = readFileSync(join(versioned, corrupt))
    // Same header (so the stamp matches), garbage where V8's data was.
    const header = original.indexOf('\n', original.indexOf('\n') + 1) + 1
    writeFileSync(join(versioned, corrupt), Buffer.concat([original.subarray(0, header), Buffer.alloc(original.length - header, 7)]))
    writeFileSync(join(versioned, stale), 'restack-v8-cache\nsomeotherbuild:1\nnot v8 data')

    const after = generate('after', {RESTACK_CODE_CACHE_DIR: cache})
    expect(after.result.status, after.result.stderr).to.equal(0)
    expect(after.result.stderr).to.equal('')
    expect(readFileSync(join(versioned, corrupt)).subarray(header).equals(Buffer.alloc(original.length - header, 7))).to.equal(false)
    expect(readFileSync(join(versioned, stale), 'utf8')).to.not.include('someotherbuild')
    expect(readdirSync(versioned).filter((name) => name.endsWith('.tmp'))).to.deep.equal([])
  })

  it("keeps a command's cache for its first successful run: help for it (or a bare topic's list) writes help's, a failed run a cache of failed runs that serves until then", () => {
    const cache = join(dir.path, 'cache-c')
    const project = join(dir.path, 'help-first')
    cpSync(template, project, {recursive: true})
    const before = snapshot(project)
    const failed = runCli(['g', 'function', '9lives'], {cwd: project, env: {RESTACK_CODE_CACHE_DIR: cache}})
    expect(failed.status).to.not.equal(0)
    expect(snapshot(project)).to.deep.equal(before)
    const afterFailure = entries(cache)
    expect(Object.keys(afterFailure).length).to.be.at.least(3)
    expect(Object.keys(afterFailure).filter((name) => !name.endsWith('-failed')), 'only failed runs\' files').to.deep.equal([])
    // Failing again compiles from that cache (V8 accepts it) and writes nothing.
    expect(runCli(['g', 'function', '9lives'], {cwd: project, env: {RESTACK_CODE_CACHE_DIR: cache}}).status).to.equal(failed.status)
    expect(entries(cache)).to.deep.equal(afterFailure)

    for (const args of [['g', 'function', '--help'], ['g'], ['d', '--json']]) {
      const help = runCli(args, {cwd: project, env: {RESTACK_CODE_CACHE_DIR: cache}})
      expect(help.status, help.stderr).to.equal(0)
    }

    const helpFiles = entries(cache)
    // The generator's own run writes its files beside help's and the failed runs': none of those changes.
    const generated = generate('after-help', {RESTACK_CODE_CACHE_DIR: cache})
    expect(generated.result.status, generated.result.stderr).to.equal(0)
    const all = entries(cache)
    for (const [name, mtime] of Object.entries(helpFiles)) expect(all[name], name).to.equal(mtime)
    const own = Object.keys(all).filter((name) => !(name in helpFiles))
    expect(own.length).to.be.at.least(4)
    expect(own.filter((name) => name.endsWith('-failed'))).to.deep.equal([])
    // and from now on a successful run compiles from it: nothing is written again
    expect(generate('after-that', {RESTACK_CODE_CACHE_DIR: cache}).result.status).to.equal(0)
    expect(entries(cache)).to.deep.equal(all)
    // Another kind runs other code (a prompt parses no TypeScript): it writes a cache of its own, and the function's stays.
    expect(runCli(['g', 'prompt', 'Summarize'], {cwd: join(dir.path, 'after-that'), env: {RESTACK_CODE_CACHE_DIR: cache}}).status).to.equal(0)
    const withPrompt = entries(cache)
    for (const [name, mtime] of Object.entries(all)) expect(withPrompt[name], name).to.equal(mtime)
    // bin/code-cache.cjs names each file by the bundle and the kind of run: the vendor bundle has one for each kind
    const fileOf = (bundle: string, kind: string) => createHash('sha1').update(`${join(REPO_ROOT, bundle)}\0${kind}`).digest('hex').slice(0, 24)
    expect(Object.keys(all)).to.include(fileOf('lib/vendor.cjs', 'generate:function'))
    expect(Object.keys(withPrompt).filter((name) => !(name in all))).to.include(fileOf('lib/vendor.cjs', 'generate:prompt'))
  })

  it('never breaks a command when the cache cannot be written (its folder is a file)', () => {
    const blocked = join(dir.path, 'blocked')
    writeFileSync(blocked, 'not a folder')
    const run = generate('blocked-run', {RESTACK_CODE_CACHE_DIR: blocked})
    expect(run.result.status, run.result.stderr).to.equal(0)
    expect(run.result.stderr).to.equal('')
    expect(readFileSync(blocked, 'utf8')).to.equal('not a folder')
  })
})
