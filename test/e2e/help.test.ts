import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {errorText, isOneParagraph, REPO_ROOT, runCli} from '../helpers/cli.js'
import {snapshot, useTempDir} from '../helpers/fs.js'
import {linkPlugins} from '../helpers/plugins.js'

interface ManifestCommand {
  examples?: Array<string | {command: string}>
  flags: Record<string, {hidden?: boolean}>
  summary?: string
}

/** The core's and the linked plugins' commands, from the manifests the CLI itself reads. */
const PLUGINS = [
  {name: '@restack/plugin-llm', root: join(REPO_ROOT, 'plugins/plugin-llm')},
  {name: '@restack/plugin-tools', root: join(REPO_ROOT, 'plugins/plugin-tools')},
]
/** A plugin without a manifest: oclif imports its commands at every start, so it is linked for one test only. */
const FIXTURE = {name: 'restack-fixture-plugin', root: join(REPO_ROOT, 'test/fixtures/plugin')}
const manifest = (root: string): Record<string, ManifestCommand> => JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8')).commands

describe('help for every form', function () {
  this.timeout(300_000)
  const dir = useTempDir()
  let env: NodeJS.ProcessEnv
  let commands: Record<string, ManifestCommand>
  before(() => {
    commands = Object.assign({}, manifest(REPO_ROOT), ...PLUGINS.map((plugin) => manifest(plugin.root)))
  })
  beforeEach(() => {
    env = linkPlugins(join(dir.path, 'data'), PLUGINS)
  })

  const kinds = (topic: string) =>
    Object.keys(commands)
      .filter((id) => id.startsWith(`${topic}:`))
      .map((id) => id.slice(topic.length + 1))

  for (const topic of ['generate', 'destroy']) {
    it(`shows each ${topic} kind's own flags and examples for "${topic[0]} <kind> --help" and "${topic} <kind> --help", core and plugin kinds`, () => {
      expect(kinds(topic)).to.include.members(topic === 'generate' ? ['agent', 'function', 'pipeline', 'prompt', 'workflow', 'llm-config', 'tool-server'] : ['agent', 'function', 'llm-config', 'tool-server'])
      for (const kind of kinds(topic)) {
        const flags = Object.entries(commands[`${topic}:${kind}`].flags)
          .filter(([, flag]) => !flag.hidden)
          .map(([name]) => `--${name}`)
        for (const form of [[topic[0], kind], [topic, kind], [`${topic}:${kind}`]]) {
          const result = runCli([...form, '--help'], {cwd: dir.path, env})
          expect(result.status, `${form.join(' ')} --help: ${result.stderr}`).to.equal(0)
          expect(result.stdout, form.join(' ')).to.include(`$ restack ${topic} ${kind}`)
          for (const flag of flags) expect(result.stdout, `${form.join(' ')} --help names ${flag}`).to.include(flag)
          expect(result.stdout, form.join(' ')).to.match(/EXAMPLES\n {2}\$ restack /)
        }
      }
    })
  }

  it('shows the kind of a plugin without a manifest the same way', () => {
    const result = runCli(['g', 'note', '--help'], {cwd: dir.path, env: linkPlugins(join(dir.path, 'fixture-data'), [FIXTURE])})
    expect(result.status, result.stderr).to.equal(0)
    expect(result.stdout).to.include('$ restack generate note').and.include('--dry-run')
  })

  for (const args of [['g', '--help'], ['generate', '--help'], ['g'], ['d'], ['destroy', '--help']]) {
    it(`"restack ${args.join(' ')}" lists the kinds, each with its summary`, () => {
      const result = runCli(args, {cwd: dir.path, env})
      expect(result.status, result.stderr).to.equal(0)
      const topic = args[0].startsWith('g') ? 'generate' : 'destroy'
      for (const kind of kinds(topic)) {
        const summary = commands[`${topic}:${kind}`].summary
        expect(result.stdout).to.match(new RegExp(`${topic} ${kind} +${summary?.slice(0, 20).replaceAll(/[$()*+.?[\\\]^{|}]/g, '\\$&')}`))
      }
    })
  }
})

describe('usage errors', () => {
  const dir = useTempDir()
  let root: string
  beforeEach(() => {
    expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path}).status).to.equal(0)
    root = join(dir.path, 'demo')
  })

  for (const args of [['g', 'agent'], ['generate', 'agent', '--events', 'a,b'], ['d', 'function']]) {
    it(`"restack ${args.join(' ')}" without a terminal: one paragraph naming what is missing, an example and the help, exit 2, nothing written`, () => {
      const before = snapshot(root)
      const result = runCli(args, {cwd: root})
      expect(result.status).to.equal(2)
      const topic = args[0].startsWith('g') ? 'generate' : 'destroy'
      expect(isOneParagraph(errorText(result.stderr))).to.equal(true)
      expect(errorText(result.stderr)).to.match(new RegExp(`"restack ${topic} ${args[1]}" needs a name .* For example: "restack [a-z ]*${args[1]} [A-Z]\\w*.*"restack ${topic} ${args[1]} --help" lists its flags\\.`))
      expect(snapshot(root)).to.deep.equal(before)
    })
  }

  it('says which flag was meant for a mistyped one, and lists the flags', () => {
    const before = snapshot(root)
    const result = runCli(['g', 'agent', 'Support', '--evnts', 'a'], {cwd: root})
    expect(result.status).to.equal(2)
    expect(errorText(result.stderr)).to.match(/"--evnts" is not a flag of "restack generate agent"\. Did you mean "--events"\? Its flags: .*--dry-run.*--json/)
    expect(snapshot(root)).to.deep.equal(before)
  })
})
