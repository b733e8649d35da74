import {Config} from '@oclif/core'
import {normalizeArgv} from '@oclif/core/help'
import {expect} from 'chai'
import {copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'

import {REPO_ROOT} from '../helpers/cli.js'
import {tempDir} from '../helpers/fs.js'

const require = createRequire(import.meta.url)
const {commandIdOf, ownCommandLoadOptions} = require('../../bin/own-command.js') as {
  commandIdOf: (argv: string[], commands: Record<string, boolean>) => string
  ownCommandLoadOptions: (root: string, argv: string[]) => undefined | {pjson: {oclif: {plugins: string[]}}; root: string}
}

/** A little seeded generator, so a failing line can be replayed: the seed is in the test's name. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31
    return state / 2 ** 31
  }
}

describe('bin/own-command.js: oclif without its core plugins, for restack\'s own commands', () => {
  let dir: ReturnType<typeof tempDir>
  const own = JSON.parse(readFileSync(join(REPO_ROOT, 'lib/own-commands.json'), 'utf8')) as {commands: Record<string, boolean>; plugins: string[]; skippable: Array<{name: string; version: string}>}
  let config: Config
  // No installed or linked plugin, whatever the machine running the tests has.
  const saved = {DEBUG: process.env.DEBUG, RESTACK_DATA_DIR: process.env.RESTACK_DATA_DIR}

  before(async () => {
    dir = tempDir('restack-own-command-')
    process.env.RESTACK_DATA_DIR = join(dir.path, 'no-plugins')
    delete process.env.DEBUG
    config = await Config.load(REPO_ROOT)
  })

  after(() => {
    dir?.cleanup()
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  })

  /** Lines a user types: every command and alias with arguments and flags, other plugins' commands, typos and flag-like words. */
  function lines(seed: number, count: number): string[][] {
    const next = random(seed)
    const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)]
    const words = [...new Set([...config.commandIDs.flatMap((id) => id.split(':')), 'function', 'agent', 'Foo', 'fooo', 'index', 'x=1', '--json', '--force', '-n', '--', '--help', '-h', 'help', 'g:function', 'generate:agent', 'plugins:install', ''])]
    const out: string[][] = config.commandIDs.map((id) => [...id.split(':'), 'Name'])
    for (let index = 0; index < count; index++) out.push(Array.from({length: 1 + Math.floor(next() * 4)}, () => pick(words)))
    return out
  }

  for (const seed of [1, 2, 3]) {
    it(`resolves each line to the command oclif runs, and is taken only when that is one of restack's own (seed ${seed})`, () => {
      let taken = 0
      for (const argv of lines(seed, 400)) {
        const options = ownCommandLoadOptions(REPO_ROOT, argv)
        if (argv.length === 0) continue
        // oclif's own resolution of the line, on the config with every plugin
        const id = normalizeArgv(config, [...argv])[0]
        const found = config.findCommand(id)
        const helpAsked = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : undefined).some((arg) => arg === '--help' || arg === '-h')
        const ours = found !== undefined && found.pluginType === 'core' && found.pluginName === config.name
        const line = JSON.stringify(argv)
        if (options) {
          taken++
          expect(ours, `${line}: oclif runs ${id} (${found?.pluginName ?? 'not found'})`).to.equal(true)
          expect(commandIdOf(argv, own.commands), line).to.equal(id)
          expect(helpAsked, line).to.equal(false)
        } else if (ours && !helpAsked && found.id === id && !id.startsWith('autocomplete:')) {
          // (oclif also finds a command by its words in another order, "script autocomplete": those lines load everything)
          expect.fail(`${line}: oclif runs restack's own ${id}, yet the line loads every plugin`)
        }
      }

      expect(taken, 'some lines take the short way').to.be.greaterThan(20)
    })
  }

  it('leaves out only core plugins with no hook such a line fires, and keeps the rest of package.json as it is', () => {
    const options = ownCommandLoadOptions(REPO_ROOT, ['g', 'function', 'Charge'])!
    const pjson = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'))
    expect(options.root).to.equal(REPO_ROOT)
    const skipped = own.skippable.map(({name}) => name)
    expect(options.pjson).to.deep.equal({...pjson, oclif: {...pjson.oclif, plugins: pjson.oclif.plugins.filter((name: string) => !skipped.includes(name))}})
    for (const {name, version} of own.skippable) {
      expect(config.plugins.get(name)!.version, name).to.equal(version)
      const plugin = config.plugins.get(name)!
      expect(Object.keys(plugin.hooks).filter((event) => !['command_not_found', 'plugins:postinstall', 'plugins:postuninstall', 'update'].includes(event)), name).to.deep.equal([])
      expect(plugin.commands.filter((command) => Object.hasOwn(own.commands, command.id.split(':')[0])), name).to.deep.equal([])
    }
  })

  it('loads every plugin when one is installed or linked, DEBUG is set, help is asked for, a core plugin is not the version the build checked, or package.json lists other plugins', () => {
    const argv = ['g', 'function', 'Charge']
    expect(ownCommandLoadOptions(REPO_ROOT, argv), 'the short way').to.not.equal(undefined)
    expect(ownCommandLoadOptions(REPO_ROOT, [...argv, '--help'])).to.equal(undefined)
    expect(ownCommandLoadOptions(REPO_ROOT, ['g', '-h'])).to.equal(undefined)
    expect(ownCommandLoadOptions(REPO_ROOT, ['list', '--', '--help']), 'after --, --help is an argument').to.not.equal(undefined)

    process.env.DEBUG = '*'
    expect(ownCommandLoadOptions(REPO_ROOT, argv)).to.equal(undefined)
    delete process.env.DEBUG

    const data = join(dir.path, 'with-plugin')
    mkdirSync(data, {recursive: true})
    writeFileSync(join(data, 'package.json'), JSON.stringify({oclif: {plugins: [{name: '@restack/plugin-llm', root: join(REPO_ROOT, 'plugins/plugin-llm'), type: 'link'}]}}))
    process.env.RESTACK_DATA_DIR = data
    expect(ownCommandLoadOptions(REPO_ROOT, argv)).to.equal(undefined)
    writeFileSync(join(data, 'package.json'), '{"oclif": ')
    expect(ownCommandLoadOptions(REPO_ROOT, argv), 'an unreadable plugin list').to.equal(undefined)
    process.env.RESTACK_DATA_DIR = join(dir.path, 'no-plugins')

    // A copy of the package whose core plugins sit one folder up, as in a hoisted install.
    const root = join(dir.path, 'hoisted/root')
    mkdirSync(join(root, 'lib'), {recursive: true})
    copyFileSync(join(REPO_ROOT, 'lib/own-commands.json'), join(root, 'lib/own-commands.json'))
    const pjson = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'))
    writeFileSync(join(root, 'package.json'), JSON.stringify(pjson))
    const oclifModules = join(dir.path, 'hoisted/node_modules/@oclif')
    mkdirSync(oclifModules, {recursive: true})
    for (const {name} of own.skippable) symlinkSync(join(REPO_ROOT, 'node_modules', name), join(oclifModules, name.split('/')[1]))
    expect(ownCommandLoadOptions(root, argv), 'a copy of the same package').to.not.equal(undefined)
    // another version of a core plugin than the build checked (it may have gained a hook), then none at all
    const help = join(oclifModules, 'plugin-help')
    rmSync(help)
    mkdirSync(help)
    writeFileSync(join(help, 'package.json'), JSON.stringify({name: '@oclif/plugin-help', oclif: {hooks: {init: './lib/init.js'}}, version: '99.0.0'}))
    expect(ownCommandLoadOptions(root, argv), 'another version').to.equal(undefined)
    rmSync(help, {recursive: true})
    expect(ownCommandLoadOptions(root, argv), 'not installed').to.equal(undefined)
    symlinkSync(join(REPO_ROOT, 'node_modules/@oclif/plugin-help'), help)
    expect(ownCommandLoadOptions(root, argv), 'back as built').to.not.equal(undefined)
    writeFileSync(join(root, 'package.json'), JSON.stringify({...pjson, oclif: {...pjson.oclif, plugins: [...pjson.oclif.plugins, '@oclif/plugin-warn-if-update-available']}}))
    expect(ownCommandLoadOptions(root, argv)).to.equal(undefined)
  })
})
