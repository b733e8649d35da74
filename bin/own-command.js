// oclif's load options for a command line that runs one of restack's own commands while no plugin is
// installed or linked: restack's package.json without the core plugins that cannot take part in it.
// Those plugins (help, not-found, plugins, autocomplete) add commands only under topics of their own, and
// hooks only for events such a line never fires (update, plugins:postinstall, and command_not_found: the
// line's command exists), yet oclif finds, reads and indexes each of them on every start, about 30 ms of
// a 300 ms command (docs/performance.md).
//
// lib/own-commands.json (scripts/build.mjs) lists each of restack's command ids and aliases under a topic no
// core plugin uses, with whether the command takes arguments, and which core plugins may be skipped, in
// the version the build checked. undefined means "load everything as usual": any doubt (DEBUG, a help
// flag, a file missing, a command oclif would not find, another version of a core plugin) lands there.
'use strict'

const {readFileSync} = require('node:fs')
const {dirname, join} = require('node:path')

const {asksForHelp} = require('./help-line.js')
const {userPluginCount} = require('./user-plugins.js')

/**
 * The command id oclif's normalizeArgv gives `argv` (topic separator " "), with `commands` standing
 * for every command id: the line starts in restack's own topics, so no other plugin's ids can matter.
 */
function commandIdOf(argv, commands) {
  if (argv[0].includes(':') || argv.length === 1) return argv[0]
  const usable = new Set(Object.keys(commands).flatMap((id) => id.split(':').map((_, index, parts) => parts.slice(0, index + 1).join(':'))))
  const final = []
  const idWith = (arg) => [...final, arg].filter(Boolean).join(':')
  for (const arg of argv) {
    if (usable.has(idWith(arg))) final.push(arg)
    // a command that takes arguments ends the id: what follows is its arguments
    else if (arg.includes('=') || arg.startsWith('-') || commands[idWith()] === true) break
    else final.push(arg)
  }

  return idWith()
}

/** The version of the package `name` that Node (and oclif) would find from `root`, or undefined. */
function installedVersion(root, name) {
  for (let dir = root; ; dir = dirname(dir)) {
    try {
      return JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')).version
    } catch (error) {
      if (error.code !== 'ENOENT' && error.code !== 'ENOTDIR') return undefined
    }

    if (dirname(dir) === dir) return undefined
  }
}

function ownCommandLoadOptions(root, argv) {
  // Help for any line lists or may list what every plugin adds.
  if (argv.length === 0 || process.env.DEBUG || asksForHelp(argv)) return undefined
  try {
    const own = JSON.parse(readFileSync(join(root, 'lib/own-commands.json'), 'utf8'))
    if (!Object.hasOwn(own.commands, commandIdOf(argv, own.commands))) return undefined
    const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
    const plugins = pjson.oclif.plugins ?? []
    // A package.json changed since the build (or an installed or linked plugin) means a full load.
    if (JSON.stringify(plugins) !== JSON.stringify(own.plugins) || userPluginCount(pjson) !== 0) return undefined
    // So does a core plugin in another version than the build checked (it may have gained a hook), or none.
    if (!own.skippable.every(({name, version}) => installedVersion(root, name) === version)) return undefined
    const skipped = new Set(own.skippable.map(({name}) => name))
    return {pjson: {...pjson, oclif: {...pjson.oclif, plugins: plugins.filter((name) => !skipped.has(name))}}, root}
  } catch {
    return undefined
  }
}

module.exports = {commandIdOf, ownCommandLoadOptions}
