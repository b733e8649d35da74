// Compiles src/ to lib/ and writes oclif.manifest.json so startup never scans command files.
import {execFileSync} from 'node:child_process'
import {rmSync} from 'node:fs'

const run = (cmd, args) => execFileSync(cmd, args, {stdio: 'inherit'})
rmSync('lib', {force: true, recursive: true})
rmSync('oclif.manifest.json', {force: true})
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'])
run(process.execPath, ['node_modules/oclif/bin/run.js', 'manifest'])
