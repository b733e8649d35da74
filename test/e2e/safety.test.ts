import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {errorText, isOneParagraph, runCli} from '../helpers/cli.js'
import {snapshot, useTempDir} from '../helpers/fs.js'

/** Regressions of issue 12's engine defects, through the built CLI. */
describe('a failed command changes nothing: the engine', () => {
  const dir = useTempDir()
  let root: string
  const ok = (...args: string[]) => {
    const result = runCli(args, {cwd: root})
    expect(result.status, `${args.join(' ')}: ${result.stderr}`).to.equal(0)
    return result
  }

  beforeEach(() => {
    const created = runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path})
    expect(created.status, created.stderr).to.equal(0)
    root = join(dir.path, 'demo')
  })

  it('a destroy that cannot remove a directory it emptied puts every file back and says so truthfully', () => {
    ok('g', 'workflow', 'Onboard')
    // root can write anywhere, so as root the CLI runs as "nobody": test/workflows stays writable, test/ does not
    chmodSync(dir.path, 0o755)
    expect(spawnSync('chmod', ['-R', 'a+rwX', root]).status).to.equal(0)
    chmodSync(join(root, 'test'), 0o555)
    const before = snapshot(root)
    const asNobody = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : undefined
    const result = runCli(['d', 'workflow', 'Onboard'], {cwd: root, prefix: asNobody})
    chmodSync(join(root, 'test'), 0o777)
    expect(result.status).to.equal(1)
    expect(errorText(result.stderr), result.stderr).to.match(/Cannot write ".*test\/workflows": permission denied\. Nothing was written/)
    expect(isOneParagraph(errorText(result.stderr))).to.equal(true)
    expect(snapshot(root)).to.deep.equal(before)
  })

  it('never writes through a symlink that leads out of the project', () => {
    const outside = join(dir.path, 'outside.ts')
    writeFileSync(outside, 'export const untouched = 1\n')
    const barrel = readFileSync(join(root, 'src/functions/index.ts'), 'utf8')
    writeFileSync(outside, barrel)
    rmSync(join(root, 'src/functions/index.ts'))
    symlinkSync(outside, join(root, 'src/functions/index.ts'))
    const before = snapshot(dir.path)
    const result = runCli(['g', 'function', 'SendEmail'], {cwd: root})
    expect(result.status).to.equal(1)
    expect(errorText(result.stderr)).to.match(/"src\/functions\/index\.ts" is a symbolic link to ".*outside\.ts", outside the project.*nothing was written/)
    expect(snapshot(dir.path)).to.deep.equal(before)
  })

  it('follows a symlinked folder that stays inside the project', () => {
    mkdirSync(join(root, 'shared'))
    symlinkSync(join(root, 'shared'), join(root, 'src/agents-shared'))
    ok('g', 'function', 'SendEmail')
    expect(readFileSync(join(root, 'src/services.ts'), 'utf8')).to.match(/sendEmail/)
  })

  it('lets the next command, even a read-only one, tidy what a killed command left, and say so in one line', () => {
    const before = snapshot(root)
    // a command killed before its commit point: a staging folder without journal, and its claim on the lock
    mkdirSync(join(root, '.restack/txn'))
    writeFileSync(join(root, '.restack/txn/journal.json.prepared'), '{"half a journal')
    mkdirSync(join(root, '.restack/lock'))
    writeFileSync(join(root, '.restack/lock', `ticket.3.${spawnSync('true').pid}-0badf00d`), '')
    const list = runCli(['list'], {cwd: root})
    expect(list.status, list.stderr).to.equal(0)
    expect(list.stderr.trim()).to.match(/^restack: a previous command was interrupted before it changed any file; its staging folder \.restack\/txn was removed\.$/)
    expect(snapshot(root)).to.deep.equal(before)
  })
})
