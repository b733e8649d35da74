// Compiles src/ to lib/ and writes oclif.manifest.json so startup never scans command files; then the
// same for each plugin under plugins/ that has a tsconfig.json (plugins build against the core's lib/).
import {execFileSync} from 'node:child_process'
import {existsSync, readdirSync, rmSync} from 'node:fs'
import {join, resolve} from 'node:path'

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..')
const run = (args, cwd = root) => execFileSync(process.execPath, args, {cwd, stdio: 'inherit'})
const tsc = join(root, 'node_modules/typescript/bin/tsc')
const oclif = join(root, 'node_modules/oclif/bin/run.js')

rmSync(join(root, 'lib'), {force: true, recursive: true})
rmSync(join(root, 'oclif.manifest.json'), {force: true})
run([tsc, '-p', 'tsconfig.build.json'])
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
