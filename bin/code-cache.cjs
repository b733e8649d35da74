// A V8 code cache for the CLI's own bundles (lib/**/*.cjs), for Node versions without
// module.enableCompileCache (Node 20): compiling ~2 MB of JavaScript is most of what a command costs
// before it does anything (docs/performance.md). Each bundle compiles from the bytes V8 wrote after an
// earlier run of the same command, which hold every function that run compiled, not only the top level.
//
// Cache files live in $RESTACK_CODE_CACHE_DIR, else $XDG_CACHE_HOME/restack-gen/v8, else
// ~/.cache/restack-gen/v8: one file per bundle and kind of command, written once (temp file + rename, so
// concurrent runs never read half a file) and replaced when the bundle changes (what identifies its bytes is in
// the file: its build id, or its size and mtime).
// Only an absolute folder is used (as the XDG spec asks of $XDG_CACHE_HOME): HOME="" or a relative path
// would put the cache in whatever folder the command runs in, a project's included; then there is no cache.
// RESTACK_CODE_CACHE=0 turns it off. Any failure here only means compiling as Node would.
'use strict'

const {createHash} = require('node:crypto')
const {mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} = require('node:fs')
const Module = require('node:module')
const {homedir} = require('node:os')
const {dirname, isAbsolute, join, sep} = require('node:path')
const vm = require('node:vm')

const {asksForHelp} = require('./help-line.js')

const MAGIC = 'restack-v8-cache\n'

// V8 checks a code cache's version, flags and source length, not its bytes (Node 20's V8 skips its own
// checksum): a file damaged on disk would be deserialized as bytecode and abort the process ("Fatal
// error ... unreachable code") on every run. So the data carries a checksum of its own, checked first.
const checksum = (data) => `${createHash('sha256').update(data).digest('hex').slice(0, 32)}\n`
const CHECKSUM_LENGTH = 33

/** The cache's folder, or undefined when no absolute one is set (never one relative to the working folder). */
function cacheDir() {
  const own = process.env.RESTACK_CODE_CACHE_DIR
  if (own) return isAbsolute(own) ? own : undefined
  const xdg = process.env.XDG_CACHE_HOME
  let home = ''
  try {
    home = homedir() // throws for a user with neither HOME nor a passwd entry
  } catch {}
  const base = xdg && isAbsolute(xdg) ? xdg : isAbsolute(home) ? join(home, '.cache') : undefined
  return base && join(base, 'restack-gen', 'v8')
}

/** What identifies a bundle's bytes: the build id on its first line (scripts/build.mjs), else its size and mtime. */
function stampOf(content, filename) {
  const build = /^\/\/ restack-gen build (\w+)\n/.exec(content.slice(0, 64))
  if (build) return `${build[1]}:${content.length}\n`
  try {
    const {mtimeMs, size} = statSync(filename)
    return `${size}:${mtimeMs}\n`
  } catch {
    return undefined
  }
}

/** V8's data in a cache file written for `stamp`, or undefined when there is none or it is not intact. */
function readCache(file, stamp) {
  try {
    const bytes = readFileSync(file)
    const header = MAGIC.length + stamp.length
    if (bytes.toString('latin1', 0, header) !== MAGIC + stamp) return undefined
    const data = bytes.subarray(header + CHECKSUM_LENGTH)
    return bytes.toString('latin1', header, header + CHECKSUM_LENGTH) === checksum(data) ? data : undefined
  } catch {
    return undefined
  }
}

/**
 * Compiles every .cjs file under `libDir` through the cache. `group` is the kind of command (commandGroup):
 * runs of the same kind compile the same functions, so each gets the cache its own kind of run wrote.
 * A run that fails (bad input, say) stops early and compiles little, so it writes a cache of its own
 * (`<file>-failed`), which serves its kind of run only until a successful run writes the real one: a
 * first typo never leaves every later run compiling the engine from scratch, and a command that keeps
 * failing (doctor with a check failing) still gets a cache.
 */
function install(libDir, group) {
  const base = process.env.RESTACK_CODE_CACHE === '0' ? undefined : cacheDir()
  if (base === undefined) return
  const dir = join(base, `${process.version}-${process.arch}`)
  const fresh = []
  const compile = Module.prototype._compile
  Module.prototype._compile = function (content, filename) {
    if (!filename.startsWith(libDir) || !filename.endsWith('.cjs')) return compile.call(this, content, filename)
    const stamp = stampOf(content, filename)
    if (stamp === undefined) return compile.call(this, content, filename)

    const file = join(dir, createHash('sha1').update(`${filename}\0${group}`).digest('hex').slice(0, 24))
    const failedFile = `${file}-failed`
    let cachedData = readCache(file, stamp)
    const fromFailed = cachedData === undefined && (cachedData = readCache(failedFile, stamp)) !== undefined
    const script = new vm.Script(Module.wrap(content), {cachedData, filename})
    const accepted = cachedData !== undefined && !script.cachedDataRejected
    if (!accepted || fromFailed) fresh.push({accepted, failedFile, file, script, stamp})
    const module = this
    const require = (id) => module.require(id)
    require.resolve = (request, options) => Module._resolveFilename(request, module, false, options)
    require.resolve.paths = (request) => Module._resolveLookupPaths(request, module)
    require.main = process.mainModule
    require.cache = Module._cache
    require.extensions = Module._extensions
    return script.runInThisContext({displayErrors: true}).call(module.exports, module.exports, require, module, filename, dirname(filename))
  }

  process.once('exit', (code) => {
    // A successful run writes what it did not compile from its own kind's cache; a failed run, only what
    // it compiled from nothing, and under the failed runs' name.
    const writes = fresh.filter(({accepted}) => code === 0 || !accepted).map((entry) => ({...entry, file: code === 0 ? entry.file : entry.failedFile}))
    if (writes.length === 0) return
    try {
      mkdirSync(dir, {recursive: true})
    } catch {
      return
    }

    for (const {file, script, stamp} of writes) {
      const temp = `${file}.${process.pid}.tmp`
      try {
        const data = script.createCachedData()
        writeFileSync(temp, Buffer.concat([Buffer.from(MAGIC + stamp + checksum(data), 'latin1'), data]))
        renameSync(temp, file)
      } catch {
        rmSync(temp, {force: true})
      }
    }
  })
}

const GROUPS = new Set(['agent', 'autocomplete', 'destroy', 'doctor', 'generate', 'help', 'init', 'list', 'mcp', 'new', 'plugins', 'run', 'runtime'])
const ALIASES = {d: 'destroy', g: 'generate', up: 'run'}
/** Words that alone (`restack g`, `restack run`) show the list of what they take, as help does. */
const TOPICS = new Set(['agent', 'd', 'destroy', 'g', 'generate', 'run'])
/** The kinds of generate and destroy, core and plugins': each runs other code (a prompt parses no TypeScript). */
const KINDS = new Set(['agent', 'function', 'llm-config', 'pipeline', 'prompt', 'tool-agent', 'tool-server', 'workflow'])

/**
 * The kind of run a command line is: help wherever --help or -h asks for it, or a topic alone shows its
 * list (help for a command runs none of its code, so its cache would starve the command's runs: a first
 * bare `restack g` left a 'generate' cache of half the size, and every `g function` parsing from scratch);
 * else the first word, with the kind for generate and destroy (`generate:function`), from fixed sets, so
 * a typo never adds cache files.
 */
function commandGroup(argv = []) {
  if (asksForHelp(argv)) return 'help'
  const end = argv.indexOf('--')
  const words = (end === -1 ? argv : argv.slice(0, end)).filter((arg) => !arg.startsWith('-'))
  if (words.length === 1 && TOPICS.has(words[0])) return 'help'
  const [head, colonKind] = (argv[0] ?? '').split(':')
  const group = ALIASES[head] ?? head
  if (!GROUPS.has(group)) return 'other'
  const kind = colonKind ?? words[1]
  return (group === 'generate' || group === 'destroy') && KINDS.has(kind) ? `${group}:${kind}` : group
}

module.exports = {cacheDir, commandGroup, install, libDirOf: (root) => join(root, 'lib') + sep}
