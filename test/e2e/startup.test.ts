import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {errorText, REPO_ROOT, runCli} from '../helpers/cli.js'
import {useTempDir} from '../helpers/fs.js'

describe('startup', () => {
  const dir = useTempDir()

  it('ships an oclif manifest listing every command', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'oclif.manifest.json'), 'utf8'))
    expect(Object.keys(manifest.commands)).to.include.members(['new', 'run:server'])
  })

  for (const flag of ['--version', '--help']) {
    it(`answers ${flag} from the bundle without loading any command, zod, @babel/parser, handlebars, yaml or the Temporal SDK`, () => {
      const trace = join(dir.path, 'trace.txt')
      const result = runCli([flag], {cwd: dir.path, env: {NODE_OPTIONS: `--import ${join(REPO_ROOT, 'test/fixtures/trace-imports.mjs')}`, TRACE_FILE: trace}})
      expect(result.status, result.stderr).to.equal(0)
      expect(result.stdout).to.match(flag === '--version' ? /restack-gen\/\d+\.\d+\.\d+/ : /COMMANDS[\s\S]*new/)
      const urls = readFileSync(trace, 'utf8').split('\n').filter(Boolean)
      const lib = pathToFileURL(join(REPO_ROOT, 'lib')).href + '/'
      const loaded = urls.filter((url) => url.startsWith(lib)).map((url) => `lib/${url.slice(lib.length)}`)
      expect(loaded, 'the trace works').to.include('lib/cli.js')
      // The sources inside each loaded bundle file, as esbuild recorded them (scripts/build.mjs).
      const bundle = JSON.parse(readFileSync(join(REPO_ROOT, 'lib/bundle.json'), 'utf8')) as Record<string, string[]>
      const sources = loaded.flatMap((file) => bundle[file] ?? [`${file} (not from the bundle)`])
      expect(sources.some((source) => source.includes('node_modules/@oclif/core/')), 'oclif comes from the bundle').to.equal(true)
      expect(sources.filter((source) => source.startsWith('src/') && !/^src\/(cli|help|hooks\/init)\.ts$/.test(source))).to.deep.equal([])
      expect(sources.filter((source) => /node_modules\/(zod|@babel|handlebars|yaml|@temporalio|recast|@inquirer)\//.test(source))).to.deep.equal([])
      expect(urls.filter((url) => /node_modules\/(zod|@babel|handlebars|yaml|@temporalio|recast)\//.test(url))).to.deep.equal([])
    })
  }

  it('suggests a command for a typo', () => {
    const result = runCli(['neww'], {cwd: dir.path})
    expect(result.status).to.not.equal(0)
    expect(errorText(result.stderr)).to.match(/neww is not a restack command/)
  })

})
