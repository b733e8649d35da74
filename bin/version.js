// The line oclif prints for `restack --version`, computed the way oclif's Config does, or undefined when
// oclif itself must answer: a plugin is installed or linked in the data dir (or it cannot be read).
'use strict'

const {existsSync, readFileSync} = require('node:fs')
const {arch} = require('node:os')
const {join} = require('node:path')

const {userPluginCount} = require('./user-plugins.js')

exports.versionLine = function versionLine(root) {
  try {
    const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
    if (userPluginCount(pjson) !== 0) return undefined
    // oclif names WSL "wsl" (is-wsl: a Microsoft kernel outside a container).
    const wsl = process.platform === 'linux' && /microsoft/i.test(readFileSync('/proc/version', 'utf8')) && !existsSync('/.dockerenv')
    return `${pjson.name}/${pjson.version} ${wsl ? 'wsl' : process.platform}-${arch()} node-${process.version}`
  } catch {
    return undefined
  }
}
