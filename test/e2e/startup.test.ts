import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {errorText, REPO_ROOT, runCli} from '../helpers/cli.js'
import {useTempDir} from '../helpers/fs.js'

describe('startup', () => {
  const dir = useTempDir()

  it('ships an oclif manifest listing every command', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'oclif.manifest.json'), 'utf8'))
    expect(Object.keys(manifest.commands)).to.include.members(['new', 'run:server'])
  })

  for (const flag of ['--version', '--help']) {
    it(`answers ${flag} without loading any command module, handlebars or the Temporal SDK`, () => {
      const trace = join(dir.path, 'trace.txt')
      const result = runCli([flag], {cwd: dir.path, env: {NODE_OPTIONS: `--import ${join(REPO_ROOT, 'test/fixtures/trace-imports.mjs')}`, TRACE_FILE: trace}})
      expect(result.status, result.stderr).to.equal(0)
      expect(result.stdout).to.match(flag === '--version' ? /restack-gen\/\d+\.\d+\.\d+/ : /COMMANDS[\s\S]*new/)
      const urls = readFileSync(trace, 'utf8').split('\n').filter(Boolean)
      expect(urls.some((url) => url.includes('/@oclif/core/')), 'the trace works').to.equal(true)
      expect(urls.filter((url) => url.includes('/lib/commands/'))).to.deep.equal([])
      expect(urls.filter((url) => /handlebars|@temporalio|recast/.test(url))).to.deep.equal([])
    })
  }

  it('suggests a command for a typo', () => {
    const result = runCli(['neww'], {cwd: dir.path})
    expect(result.status).to.not.equal(0)
    expect(errorText(result.stderr)).to.match(/neww is not a restack command/)
  })

})
