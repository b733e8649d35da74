// How many plugins the user installed or linked: oclif lists them in <data dir>/package.json, with the data
// dir computed as oclif's Config does on Linux and macOS. undefined when that cannot be told for sure.
'use strict'

const {existsSync, readFileSync} = require('node:fs')
const {homedir} = require('node:os')
const {join} = require('node:path')

exports.userPluginCount = function userPluginCount(pjson) {
  try {
    const dataDir = process.env.RESTACK_DATA_DIR || join(process.env.XDG_DATA_HOME || join(process.env.HOME || homedir(), '.local/share'), pjson.oclif.dirname)
    const listing = join(dataDir, 'package.json')
    return existsSync(listing) ? (JSON.parse(readFileSync(listing, 'utf8')).oclif?.plugins ?? []).length : 0
  } catch {
    return undefined
  }
}
