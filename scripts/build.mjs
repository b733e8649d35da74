// Compiles src/ to lib/ (the core API plugins import, with its .d.ts), then bundles what the CLI itself
// runs (bin/run.js -> lib/cli.js, every command, the init hook) with esbuild over those same paths, so
// that a command loads a few files instead of a few hundred (docs/performance.md); then writes
// oclif.manifest.json so startup never scans command files. Then the same tsc + manifest for each
// plugin under plugins/ that has a tsconfig.json (plugins build against the core's lib/).
import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join, relative, resolve, sep} from 'node:path'
import {pathToFileURL} from 'node:url'

import {build, transform} from 'esbuild'

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

// The bundle replaces lib/cli.js, lib/commands/** and lib/hooks/** (the paths package.json's oclif
// section names); code two of them share goes to lib/chunks/ and loads once. @oclif/core is inside:
// its own ~100 files are most of --version. Left out: typescript and ts-node, which oclif's dev-mode
// path lookup can require (typescript alone would be 10 MB to parse on every start).
/**
 * `restack mcp` loads the MCP SDK and zod's classic API from node_modules at run time instead of from the
 * bundle: bundled, classic zod shares zod's core modules with the `zod/mini` every command uses to read
 * restack.yaml, and code splitting then puts all of that core (about 400 KB) in the chunk every generator
 * loads. Both are dependencies, so they are installed wherever restack is (the standalone tarball too).
 */
const mcpAtRunTime = {
  name: 'mcp-at-run-time',
  setup(esbuild) {
    esbuild.onResolve({filter: /^(@modelcontextprotocol\/sdk(\/.*)?|zod|zod\/v3|zod\/v4)$/}, (args) => ({external: true, path: args.path}))
  },
}

const bundle = await build({
  banner: {js: "import {createRequire as __restackRequire} from 'node:module'; const require = __restackRequire(import.meta.url);"},
  bundle: true,
  chunkNames: 'chunks/[name]-[hash]',
  entryPoints: ['src/cli.ts', 'src/help.ts', ...files('src/commands'), ...files('src/hooks')],
  external: ['typescript', 'ts-node'],
  format: 'esm',
  // Minified: less source for Node to read and compile on every start; names kept for errors and oclif.
  keepNames: true,
  logLevel: 'warning',
  metafile: true,
  minify: true,
  outbase: 'src',
  outdir: 'lib',
  platform: 'node',
  plugins: [mcpAtRunTime],
  splitting: true,
  target: 'node20',
})

// Every shipped template compiled once here (lib/templates/<kind>/<file>.hbs.js), so a generator loads Handlebars' runtime, not its compiler
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
  const out = join(root, 'lib/templates', `${template}.js`)
  mkdirSync(dirname(out), {recursive: true})
  writeFileSync(out, (await transform(module, {format: 'esm', minify: true})).code)
}

// Which sources each bundled file holds, so a test can say what a command loads (test/e2e/startup.test.ts).
const contents = Object.fromEntries(Object.entries(bundle.metafile.outputs).map(([file, output]) => [file, Object.keys(output.inputs)]))
writeFileSync(join(root, 'lib/bundle.json'), JSON.stringify(contents) + '\n')
run([oclif, 'manifest'])

const pluginsDir = join(root, 'plugins')
for (const name of existsSync(pluginsDir) ? readdirSync(pluginsDir) : []) {
  const dir = join(pluginsDir, name)
  if (!existsSync(join(dir, 'tsconfig.json'))) continue
  rmSync(join(dir, 'lib'), {force: true, recursive: true})
  rmSync(join(dir, 'oclif.manifest.json'), {force: true})
  run([tsc, '-p', 'tsconfig.json'], dir)
  run([oclif, 'manifest'], dir)
}
