import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {copyFileSync, mkdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {errorText, REPO_ROOT, runCli} from '../helpers/cli.js'
import {useTempDir} from '../helpers/fs.js'
import {linkPlugins} from '../helpers/plugins.js'

/** A plugin with a manifest: linking it makes oclif load its package.json and manifest at start, none of its code. */
const LLM_PLUGIN = {name: '@restack/plugin-llm', root: join(REPO_ROOT, 'plugins/plugin-llm')}

describe('startup', () => {
  const dir = useTempDir()

  it('ships an oclif manifest listing every command', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'oclif.manifest.json'), 'utf8'))
    expect(Object.keys(manifest.commands)).to.include.members(['new', 'run:server'])
  })

  it('answers --version without loading oclif or any of lib/ when no plugin is installed, with the line oclif prints', () => {
    const trace = join(dir.path, 'trace-version.txt')
    const result = runCli(['--version'], {cwd: dir.path, env: {NODE_OPTIONS: `--import ${join(REPO_ROOT, 'test/fixtures/trace-imports.mjs')}`, RESTACK_DATA_DIR: join(dir.path, 'none'), TRACE_FILE: trace}})
    expect(result.status, result.stderr).to.equal(0)
    const urls = readFileSync(trace, 'utf8').split('\n').filter(Boolean)
    expect(urls.some((url) => url.endsWith('/bin/version.js')), 'the trace works').to.equal(true)
    expect(urls.filter((url) => url.includes('/lib/') || url.includes('/node_modules/'))).to.deep.equal([])
    // With a linked plugin oclif answers (its init hook may have something to say): the same line.
    const env = linkPlugins(join(dir.path, 'data'), [LLM_PLUGIN])
    const byOclif = runCli(['--version'], {cwd: dir.path, env: {...env, NODE_OPTIONS: `--import ${join(REPO_ROOT, 'test/fixtures/trace-imports.mjs')}`, TRACE_FILE: join(dir.path, 'trace-oclif.txt')}})
    expect(readFileSync(join(dir.path, 'trace-oclif.txt'), 'utf8')).to.include('/lib/vendor.cjs')
    expect(result.stdout).to.match(/^restack-gen\/\d+\.\d+\.\d+ \w+-\w+ node-v\d+/).and.equal(byOclif.stdout)
  })

  /**
   * What a run loaded: lib/ files (with the sources esbuild put in each), the packages its bundles asked
   * lib/vendor.cjs for, every other URL, the oclif plugin files it read, and the recorded calls.
   */
  function traced(trace: string): {asked: string[]; calls: string[]; loaded: string[]; reads: string[]; sources: string[]; urls: string[]} {
    const lines = readFileSync(trace, 'utf8').split('\n').filter(Boolean)
    const urls = lines.filter((line) => !/^(vendor|read|call):/.test(line))
    const reads = lines.filter((line) => line.startsWith('read:')).map((line) => line.slice('read:'.length))
    const calls = lines.filter((line) => line.startsWith('call:')).map((line) => line.slice('call:'.length))
    const asked = lines.filter((line) => line.startsWith('vendor:')).map((line) => line.slice('vendor:'.length))
    const lib = pathToFileURL(join(REPO_ROOT, 'lib')).href + '/'
    const loaded = [...new Set(urls.filter((url) => url.startsWith(lib)).map((url) => `lib/${url.slice(lib.length)}`))]
    // The sources inside each loaded bundle file, as esbuild recorded them (scripts/build.mjs); lib/vendor.cjs
    // holds every package and evaluates one only when asked, so what counts there is `asked`.
    const bundle = JSON.parse(readFileSync(join(REPO_ROOT, 'lib/bundle.json'), 'utf8')) as Record<string, string[]>
    const sources = loaded.filter((file) => file !== 'lib/vendor.cjs').flatMap((file) => bundle[file] ?? [`${file} (not from the bundle)`])
    return {asked, calls, loaded, reads, sources, urls}
  }

  const HEAVY = /^(zod|@babel|handlebars|yaml|@temporalio|recast|@inquirer|@modelcontextprotocol)(\/|$)/

  for (const flag of ['--version', '--help']) {
    it(`answers ${flag} from the bundle without running any command, zod, @babel/parser, handlebars, yaml, the MCP SDK or the Temporal SDK${flag === '--version' ? ' (oclif answers: a plugin is linked)' : ''}`, () => {
      const trace = join(dir.path, 'trace.txt')
      const linked = flag === '--version' ? linkPlugins(join(dir.path, 'data'), [LLM_PLUGIN]) : {}
      const result = runCli([flag], {cwd: dir.path, env: {...linked, NODE_OPTIONS: `--import ${join(REPO_ROOT, 'test/fixtures/trace-imports.mjs')}`, TRACE_FILE: trace}})
      expect(result.status, result.stderr).to.equal(0)
      expect(result.stdout).to.match(flag === '--version' ? /restack-gen\/\d+\.\d+\.\d+/ : /COMMANDS[\s\S]*new/)
      const {asked, loaded, sources, urls} = traced(trace)
      expect(loaded, 'the trace works').to.include('lib/vendor.cjs')
      expect(asked, 'oclif comes from the bundle').to.include('@oclif/core')
      expect(urls.filter((url) => url.includes('/node_modules/@oclif/core/')), 'and not from node_modules').to.deep.equal([])
      expect(sources.filter((source) => source.startsWith('src/') && !/^src\/(help|hooks\/init)\.ts$/.test(source))).to.deep.equal([])
      expect(asked.filter((specifier) => HEAVY.test(specifier))).to.deep.equal([])
      expect(urls.filter((url) => /node_modules\/(zod|@babel|handlebars|yaml|@temporalio|recast|@modelcontextprotocol)\//.test(url))).to.deep.equal([])
    })
  }

  it('generates from the precompiled templates with Handlebars\' runtime, never its compiler or zod, and writes what the compiler writes', () => {
    const trace = join(dir.path, 'trace-generate.txt')
    expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path}).status).to.equal(0)
    const project = join(dir.path, 'demo')
    const result = runCli(['g', 'function', 'ChargeCard'], {cwd: project, env: {NODE_OPTIONS: `--import ${join(REPO_ROOT, 'test/fixtures/trace-imports.mjs')}`, TRACE_FILE: trace}})
    expect(result.status, result.stderr).to.equal(0)
    const {asked, loaded, urls} = traced(trace)
    expect(loaded).to.include.members(['lib/templates/function/function.ts.hbs.cjs', 'lib/templates/function/test.ts.hbs.cjs'])
    expect(asked, 'the runtime is loaded').to.include('handlebars/runtime.js')
    // no zod at all (restack.yaml is validated with valibot), and never Handlebars' compiler
    expect(asked.filter((specifier) => specifier === 'handlebars' || specifier.startsWith('zod'))).to.deep.equal([])
    expect(asked, 'restack.yaml is validated').to.include('valibot')
    expect(urls.filter((url) => url.includes('/node_modules/zod/') || url.includes('/node_modules/@modelcontextprotocol/'))).to.deep.equal([])
    // The same templates as project overrides go through the compiler: the files must be the same bytes.
    const generated = ['src/functions/chargeCard.ts', 'test/functions/chargeCard.test.ts'].map((file) => readFileSync(join(project, file), 'utf8'))
    expect(runCli(['d', 'function', 'ChargeCard'], {cwd: project}).status).to.equal(0)
    for (const file of ['function.ts.hbs', 'test.ts.hbs']) {
      mkdirSync(join(project, '.restack/templates/function'), {recursive: true})
      copyFileSync(join(REPO_ROOT, 'templates/function', file), join(project, '.restack/templates/function', file))
    }

    expect(runCli(['g', 'function', 'ChargeCard'], {cwd: project}).status).to.equal(0)
    expect(['src/functions/chargeCard.ts', 'test/functions/chargeCard.test.ts'].map((file) => readFileSync(join(project, file), 'utf8'))).to.deep.equal(generated)
  })

  it('loads the MCP SDK for restack mcp, and only there (the control for the checks above)', () => {
    const trace = join(dir.path, 'trace-mcp.txt')
    // stdin is empty and closed: the server starts, sees the client gone, and exits
    const result = runCli(['mcp'], {cwd: dir.path, env: {NODE_OPTIONS: `--import ${join(REPO_ROOT, 'test/fixtures/trace-imports.mjs')}`, TRACE_FILE: trace}})
    expect(result.status, result.stderr).to.equal(0)
    const {sources, urls} = traced(trace)
    // the SDK (and zod's classic API it works with) load from node_modules at run time, not from the bundle
    expect(urls.some((url) => url.includes('/node_modules/@modelcontextprotocol/sdk/'))).to.equal(true)
    expect(sources).to.include('src/mcp/serve.ts')
  })

  it("runs restack's own commands without reading oclif's core plugins and without setting up ICU's collator, while a line oclif cannot place loads them all (issue 17)", () => {
    const trace = (name: string) => ({NODE_OPTIONS: `--import ${join(REPO_ROOT, 'test/fixtures/trace-imports.mjs')}`, RESTACK_DATA_DIR: join(dir.path, 'no-plugins'), TRACE_FILE: join(dir.path, name)})
    expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path, env: trace('trace-new.txt')}).status).to.equal(0)
    const project = join(dir.path, 'demo')
    for (const [args, name] of [[['g', 'function', 'ChargeCard'], 'trace-g.txt'], [['d', 'function', 'ChargeCard'], 'trace-d.txt'], [['list', '--json'], 'trace-list.txt']] as const) {
      const result = runCli([...args], {cwd: project, env: trace(name)})
      expect(result.status, result.stderr).to.equal(0)
      const {calls, loaded, reads} = traced(join(dir.path, name))
      expect(loaded, 'the trace works').to.include('lib/vendor.cjs')
      expect(reads, args.join(' ')).to.deep.equal([])
      expect(calls, args.join(' ')).to.deep.equal([])
    }

    expect(traced(join(dir.path, 'trace-new.txt')).reads).to.deep.equal([])
    // Not a command: plugin-not-found's hook answers, so every plugin is loaded as oclif always does.
    const unknown = runCli(['run', 'fooo'], {cwd: project, env: trace('trace-unknown.txt')})
    expect(errorText(unknown.stderr)).to.match(/run fooo is not a restack command/)
    expect(traced(join(dir.path, 'trace-unknown.txt')).reads.map((file) => file.split(/[\\/]@oclif[\\/]/)[1])).to.include.members(['plugin-not-found/package.json', 'plugin-plugins/oclif.manifest.json'])
    // and the recorder of localeCompare works
    const control = spawnSync(process.execPath, ['-e', '"a".localeCompare("b")'], {cwd: dir.path, encoding: 'utf8', env: {...process.env, ...trace('trace-control.txt')}})
    expect(control.status, control.stderr).to.equal(0)
    expect(traced(join(dir.path, 'trace-control.txt')).calls).to.deep.equal(['localeCompare'])
  })

  it('suggests a command for a typo', () => {
    const result = runCli(['neww'], {cwd: dir.path})
    expect(result.status).to.not.equal(0)
    expect(errorText(result.stderr)).to.match(/neww is not a restack command/)
  })

})
