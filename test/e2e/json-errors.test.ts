import {expect} from 'chai'
import {join} from 'node:path'

import {runCli} from '../helpers/cli.js'
import {snapshot, tempDir} from '../helpers/fs.js'

/**
 * --json errors (src/command.ts): one small object naming the error, and the exit code the same line has
 * without --json. oclif's default put the whole parse context on stdout: ~180 KB with the user's home,
 * data dir and every command, and exit 1 for usage errors that exit 2 otherwise.
 */
describe('errors under --json', () => {
  let dir: ReturnType<typeof tempDir>
  let project: string

  before(() => {
    dir = tempDir('restack-json-errors-')
    expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path}).status).to.equal(0)
    project = join(dir.path, 'demo')
  })
  after(() => dir?.cleanup())

  const lines: Array<[string[], RegExp]> = [
    [['g', 'function', 'SendEmail', 'extra'], /Unexpected argument: extra/],
    [['generate:function', 'SendEmail', '--bogus'], /"--bogus" is not a flag of "restack generate function"/],
    [['g', 'function', 'SendEmail', '--bogus'], /"--bogus" is not a flag of "restack generate function"/],
    [['doctor', '--bogus'], /"--bogus" is not a flag of "restack doctor"/],
    [['g', 'function', '9lives'], /9lives/],
    [['g', 'functoin', 'X'], /"functoin" is not something restack can generate/],
    [['d', 'agent', 'Nobody'], /Nobody|nobody/],
  ]

  for (const [args, message] of lines) {
    it(`restack ${args.join(' ')} --json: {error: {name, message, exit}}, the exit code of the line without --json, nothing written`, () => {
      const before = snapshot(project)
      const plain = runCli(args, {cwd: project})
      const json = runCli([...args, '--json'], {cwd: project})
      expect(plain.status, plain.stderr).to.not.equal(0)
      expect(json.status, json.stdout).to.equal(plain.status)
      expect(json.stdout.length, 'a small object').to.be.below(2000)
      const {error} = JSON.parse(json.stdout) as {error: Record<string, unknown>}
      expect(Object.keys(error).filter((key) => !['code', 'exit', 'message', 'name', 'suggestions'].includes(key))).to.deep.equal([])
      expect(error.message).to.match(message)
      expect(error.exit).to.equal(plain.status)
      expect(json.stdout).to.not.include(process.env.HOME ?? '/root').and.not.include('dataDir')
      expect(snapshot(project)).to.deep.equal(before)
    })
  }
})
