// lib/own-commands.json: what bin/own-command.js needs to run restack's own commands without loading the
// core plugins that cannot take part in them (docs/performance.md).
//   commands: each of restack's command ids and aliases whose topic no core plugin uses, with whether the
//             command takes arguments (which ends a space-separated command id, as oclif resolves it);
//   plugins:  package.json's oclif.plugins as built (any other list at run time means a full load);
//   skippable: the core plugins whose hooks are all for events such a line never fires, with the version
//             that was checked (another version installed since, or none, means a full load).
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'

/** Hook events a line that runs one of restack's own, existing commands never fires. */
const NEVER_FIRED = new Set(['command_not_found', 'plugins:postinstall', 'plugins:postuninstall', 'plugins:preinstall', 'update'])

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'))
const idsOf = (manifest) => Object.entries(manifest.commands).flatMap(([id, command]) => [id, ...(command.aliases ?? [])].map((name) => [name, command]))

/** The folder of the package `name` that `file` belongs to (its package.json may not be exported). */
function packageRoot(file, name) {
  for (let dir = dirname(file); dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && readJson(join(dir, 'package.json')).name === name) return dir
  }

  throw new Error(`found no package.json of ${name} above ${file}`)
}

export function writeOwnCommands(root) {
  const pjson = readJson(join(root, 'package.json'))
  const plugins = pjson.oclif.plugins ?? []
  const require = createRequire(join(root, 'package.json'))
  const coreTopics = new Set()
  const skippable = []
  for (const name of plugins) {
    const pluginRoot = packageRoot(require.resolve(name), name)
    let manifest
    try {
      manifest = readJson(join(pluginRoot, 'oclif.manifest.json'))
    } catch (error) {
      throw new Error(`${name} has no readable oclif.manifest.json (${error.message}): the fast start of restack's own commands needs to know its commands`)
    }

    for (const [id] of idsOf(manifest)) coreTopics.add(id.split(':')[0])
    const {oclif, version} = readJson(join(pluginRoot, 'package.json'))
    if (Object.keys(oclif?.hooks ?? {}).every((event) => NEVER_FIRED.has(event))) skippable.push({name, version})
  }

  const commands = {}
  for (const [id, command] of idsOf(readJson(join(root, 'oclif.manifest.json')))) {
    if (!coreTopics.has(id.split(':')[0])) commands[id] = command.strict === false || Object.keys(command.args ?? {}).length > 0
  }

  writeFileSync(join(root, 'lib/own-commands.json'), JSON.stringify({commands, plugins, skippable}) + '\n')
}
