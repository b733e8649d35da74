// Builds dist/restack-v<version>-<sha>-linux-x64.tar.gz: the CLI, its production dependencies and a
// Node runtime, runnable with no system Node. Offline: oclif looks for the Node binary in
// tmp/cache/node-v<version>-linux-x64/node before downloading one, so the running Node is put there.
import {execFileSync} from 'node:child_process'
import {copyFileSync, existsSync, mkdirSync, readdirSync} from 'node:fs'
import {join, resolve} from 'node:path'

const root = resolve(import.meta.dirname, '..')
const version = process.versions.node
if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.error(`pack:standalone builds the linux-x64 tarball with the running Node, and this is ${process.platform}-${process.arch}.`)
  process.exit(1)
}

const cached = join(root, 'tmp/cache', `node-v${version}-linux-x64`)
mkdirSync(cached, {recursive: true})
if (!existsSync(join(cached, 'node'))) copyFileSync(process.execPath, join(cached, 'node'))

let sha = 'local'
try {
  sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {cwd: root, encoding: 'utf8'}).trim()
} catch {
  // not a git checkout: oclif needs --sha then
}

const oclif = join(root, 'node_modules/oclif/bin/run.js')
execFileSync(process.execPath, [oclif, 'pack', 'tarballs', '--targets', 'linux-x64', '--no-xz', '--sha', sha], {
  cwd: root,
  env: {...process.env, OCLIF_SKIP_UPDATE_CHECK: '1'},
  stdio: 'inherit',
})
const tarball = readdirSync(join(root, 'dist')).find((name) => name.endsWith(`-${sha}-linux-x64.tar.gz`))
console.log(join(root, 'dist', tarball))
