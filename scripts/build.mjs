// Compiles src/ to lib/ (the core API plugins import, with its .d.ts), then bundles what the CLI itself
// runs (every command, the init hook, the help class, and the packages they use in lib/vendor.cjs) with
// esbuild, so that a command loads a few files instead of a few hundred (docs/performance.md); then writes
// oclif.manifest.json so startup never scans command files. Then the same tsc + manifest for each
// plugin under plugins/ that has a tsconfig.json (plugins build against the core's lib/).
import {execFileSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join, relative, resolve, sep} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {build, transform} from 'esbuild'

import {writeOwnCommands} from './build/own-commands.mjs'
import {vendorPatches} from './build/vendor-patches.mjs'

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..')
const run = (args, cwd = root) => execFileSync(process.execPath, args, {cwd, stdio: 'inherit'})
const tsc = join(root, 'node_modules/typescript/bin/tsc')
const oclif = join(root, 'node_modules/oclif/bin/run.js')

const files = (dir) =>
  readdirSync(join(root, dir), {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => relative(root, join(entry.parentPath ?? entry.path, entry.name)))

rmSync(join(root, 'lib'), {force: true, recursive: true})
rmSync(join(root, 'oclif.manifest.json'), {force: true})
run([tsc, '-p', 'tsconfig.build.json'])

// The CLI itself runs CommonJS bundles (docs/performance.md): bin/run.js loads them through a V8 code cache
// (bin/code-cache.cjs), which Node 20 offers for CommonJS only. Each command, the init hook and the help
// class is one bundle of our own code (lib/commands/**.cjs, lib/hooks/*.cjs, lib/help.cjs); every package
// they import comes from one shared bundle, lib/vendor.cjs, that evaluates a package only when a bundle
// asks for it (so --help never runs @babel/parser). tsc leaves those three out (tsconfig.build.json), so
// oclif finds only the bundles. Left as real imports: node's builtins, typescript and ts-node
// (oclif's dev-mode lookup; 10 MB), and what only `restack mcp` loads, the MCP SDK and zod, which the
// SDK's own CommonJS build requires from node_modules too (one zod for both).
const VENDOR = 'lib/vendor.cjs'
const runTimeImport = /^(@modelcontextprotocol\/sdk(\/.*)?|zod|zod\/v3|zod\/v4|typescript|ts-node)$/
const isBare = (path) => !/^([./]|node:)/.test(path)
const builtins = new Set((await import('node:module')).builtinModules)
const vendored = new Set()

/** A package import in a command bundle becomes `require(<lib/vendor.cjs, relative>)(<specifier>)`. */
const fromVendor = (outfile) => ({
  name: 'from-vendor',
  setup(esbuild) {
    esbuild.onResolve({filter: /.*/}, (args) => {
      if (args.path === VENDOR) return {external: true, path: vendorPath}
      if (!isBare(args.path)) return undefined
      if (builtins.has(args.path) || runTimeImport.test(args.path)) return {external: true, path: args.path}
      vendored.add(args.path)
      return {namespace: 'vendor', path: args.path}
    })
    const vendorPath = `./${relative(dirname(join(root, outfile)), join(root, VENDOR)).split(sep).join('/')}`
    esbuild.onLoad({filter: /.*/, namespace: 'vendor'}, async (args) => ({contents: await vendorShim(args.path), loader: 'js'}))
  },
})

/**
 * The module a command bundle sees for a package: what Node itself would give our code (tsc's lib/ runs
 * natively). A CommonJS package as is (esbuild then gives `import x` its module.exports, as Node does);
 * an ES module by its export names, so `import x` is its default export even where lib/vendor.cjs holds
 * the package's CommonJS build.
 */
const shims = new Map()
async function vendorShim(specifier) {
  if (shims.has(specifier)) return shims.get(specifier)
  const load = `require(${JSON.stringify(VENDOR)})(${JSON.stringify(specifier)})`
  let shim = `module.exports = ${load}`
  if (isEsm(fileURLToPath(import.meta.resolve(specifier)))) {
    const names = Object.keys(await import(specifier))
    shim = [`const m = ${load}`, ...names.map((name, index) => `const e${index} = m[${JSON.stringify(name)}]; export {e${index} as ${JSON.stringify(name)}}`)].join('\n')
  }

  shims.set(specifier, shim)
  return shim
}

function isEsm(file) {
  if (file.endsWith('.mjs')) return true
  if (file.endsWith('.cjs')) return false
  for (let dir = dirname(file); dirname(dir) !== dir; dir = dirname(dir)) {
    const pjson = join(dir, 'package.json')
    if (existsSync(pjson)) return JSON.parse(readFileSync(pjson, 'utf8')).type === 'module'
  }

  return false
}

const common = {
  // import.meta.url is where PACKAGE_ROOT and the templates' require start from.
  banner: {js: 'var __restackImportMetaUrl = require("node:url").pathToFileURL(__filename).href;'},
  bundle: true,
  define: {'import.meta.url': '__restackImportMetaUrl'},
  format: 'cjs',
  // Minified: less source for Node to read and compile on a first start; names kept for errors and oclif.
  // RESTACK_BUILD_MINIFY=0 builds readable bundles, for a CPU profile (node --cpu-prof bin/run.js ...).
  keepNames: true,
  logLevel: 'warning',
  metafile: true,
  minify: process.env.RESTACK_BUILD_MINIFY !== '0',
  platform: 'node',
  target: 'node20',
}
const entries = ['src/help.ts', ...files('src/commands'), ...files('src/hooks')]
const outputs = {}
await Promise.all(
  entries.map(async (entry) => {
    const outfile = join('lib', relative('src', entry)).replace(/\.ts$/, '.cjs')
    const result = await build({...common, entryPoints: [entry], outfile, plugins: [fromVendor(outfile)]})
    Object.assign(outputs, result.metafile.outputs)
  }),
)

const specifiers = [...vendored].sort()
// Each package a bundle asked for is recorded (a Set on globalThis), so a test can tell what a command ran.
const vendorEntry = `module.exports = (specifier) => {
  (globalThis[Symbol.for('restack-gen.vendor')] ??= new Set()).add(specifier)
  switch (specifier) {
${specifiers.map((specifier) => `    case ${JSON.stringify(specifier)}: return require(${JSON.stringify(specifier)})`).join('\n')}
  }
  throw new Error('restack-gen: ' + specifier + ' is not in lib/vendor.cjs; rebuild with npm run build')
}
`
const vendor = await build({
  ...common,
  banner: undefined,
  define: undefined,
  external: ['typescript', 'ts-node'],
  outfile: VENDOR,
  plugins: [vendorPatches, {name: 'run-time', setup: (esbuild) => esbuild.onResolve({filter: runTimeImport}, (args) => ({external: true, path: args.path}))}],
  stdin: {contents: vendorEntry, loader: 'js', resolveDir: root, sourcefile: 'vendor-entry.js'},
})
Object.assign(outputs, vendor.metafile.outputs)
const vendorText = readFileSync(join(root, VENDOR), 'utf8')
// Left: the fallbacks of the routed calls (`(s)=>import(s)`, used when bin/run.js did not set the hook).
const unrouted = vendorText.match(/(?<!=>\s*)\bimport\([A-Za-z_$]/g)
if (unrouted) throw new Error(`${VENDOR} still has ${unrouted.length} dynamic import(s) a code-cached script cannot run; route them through bin/run.js (scripts/build/vendor-patches.mjs)`)

// Every shipped template compiled once here (lib/templates/<kind>/<file>.hbs.cjs), so a generator loads Handlebars' runtime, not its compiler
// (src/templates.ts falls back to compiling a template whose source no longer matches its hash).
const {TEMPLATE_OPTIONS, templateHash} = await import(pathToFileURL(join(root, 'lib/templates.js')).href)
const {default: handlebars} = await import('handlebars')
const templates = readdirSync(join(root, 'templates'), {recursive: true, withFileTypes: true})
  .filter((entry) => entry.isFile() && entry.name.endsWith('.hbs'))
  .map((entry) => relative(join(root, 'templates'), join(entry.parentPath ?? entry.path, entry.name)).split(sep).join('/'))
  .sort()
for (const template of templates) {
  const text = readFileSync(join(root, 'templates', template), 'utf8')
  const module = `export const hash = ${JSON.stringify(templateHash(text))}\nexport default ${handlebars.precompile(text, TEMPLATE_OPTIONS)}\n`
  const out = join(root, 'lib/templates', `${template}.cjs`)
  mkdirSync(dirname(out), {recursive: true})
  writeFileSync(out, (await transform(module, {format: 'cjs', minify: true})).code)
}

// Every .cjs file starts with this build's id: the code cache (bin/code-cache.cjs) keys on it, because
// npm gives every file of a package the same mtime, so size and mtime cannot tell two builds apart.
const cjsFiles = readdirSync(join(root, 'lib'), {recursive: true})
  .map(String)
  .filter((file) => file.endsWith('.cjs'))
  .sort()
const buildHash = createHash('sha1')
for (const file of cjsFiles) buildHash.update(file).update(readFileSync(join(root, 'lib', file)))
const buildLine = `// restack-gen build ${buildHash.digest('hex').slice(0, 20)}\n`
for (const file of cjsFiles) writeFileSync(join(root, 'lib', file), buildLine + readFileSync(join(root, 'lib', file), 'utf8'))

// Which sources each bundled file holds, so a test can say what a command loads (test/e2e/startup.test.ts).
const contents = Object.fromEntries(Object.entries(outputs).map(([file, output]) => [file, Object.keys(output.inputs)]))
writeFileSync(join(root, 'lib/bundle.json'), JSON.stringify(contents) + '\n')
run([oclif, 'manifest'])
writeOwnCommands(root)

const pluginsDir = join(root, 'plugins')
for (const name of existsSync(pluginsDir) ? readdirSync(pluginsDir) : []) {
  const dir = join(pluginsDir, name)
  if (!existsSync(join(dir, 'tsconfig.json'))) continue
  rmSync(join(dir, 'lib'), {force: true, recursive: true})
  rmSync(join(dir, 'oclif.manifest.json'), {force: true})
  run([tsc, '-p', 'tsconfig.json'], dir)
  run([oclif, 'manifest'], dir)
}
