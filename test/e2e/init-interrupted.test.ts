import {expect} from 'chai'
import {cpSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {TXN_DIR, txnPath, writeJournal} from '../../src/engine/journal.js'
import {LOCK_PATH} from '../../src/engine/lock.js'
import {applyJournal, planJournal} from '../../src/engine/write.js'
import {errorText, REPO_ROOT, runCli} from '../helpers/cli.js'
import {snapshot, useTempDir} from '../helpers/fs.js'

const FIXTURE = join(REPO_ROOT, 'test/fixtures/adopt/todo')
const INIT_FILES = ['restack.yaml', 'AGENTS.md', '.mcp.json', '.restack/ledger.json']

/**
 * A `restack init` killed halfway (found by the kill-injection matrix, test/e2e/crash/matrix.ts): the
 * folder has restack's journal and lock but is not a project yet, or already has restack.yaml. The next
 * init, or any command that looks for the project, settles the commit first: the folder ends as the
 * user's project was, or as the adopted one, with no journal and no lock left.
 */
describe('a killed restack init is settled by the next command', function () {
  this.timeout(120_000)
  const dir = useTempDir('restack-init-killed-')
  let adopted: Record<string, string>
  let original: Record<string, string>
  let contents: Array<{content: string; path: string}>

  const copy = (name: string): string => {
    const root = join(dir.path, name)
    cpSync(FIXTURE, root, {recursive: true})
    return root
  }

  /** What an init killed by SIGKILL leaves: its lock claim (of a dead process) and its journal, `applied` of its files in place. */
  const killedInit = (applied: number): string => {
    const root = copy('killed')
    mkdirSync(join(root, LOCK_PATH), {recursive: true})
    writeFileSync(join(root, LOCK_PATH, 'ticket.1.999999-dead01'), '999999\n')
    mkdirSync(txnPath(root), {recursive: true})
    const journal = planJournal(root, contents)
    writeJournal(root, journal)
    if (applied > 0) applyJournal(root, {...journal, entries: journal.entries.slice(0, applied)})
    return root
  }

  beforeEach(() => {
    const reference = copy('reference')
    original = snapshot(reference)
    const init = runCli(['init'], {cwd: reference})
    expect(init.status, init.stderr).to.equal(0)
    adopted = snapshot(reference)
    contents = INIT_FILES.map((path) => ({content: readFileSync(join(reference, path), 'utf8'), path}))
  })

  it('init again, killed after restack.yaml was written: completes the first init from its journal and says the project is adopted', () => {
    const root = killedInit(1)
    const again = runCli(['init'], {cwd: root})
    expect(errorText(again.stderr)).to.match(/completed from its journal/).and.match(/is already a restack project/)
    expect(snapshot(root)).to.deep.equal(adopted)
  })

  it('list, killed after the commit point but before restack.yaml: completes the init instead of saying there is no project', () => {
    const root = killedInit(0)
    const list = runCli(['list'], {cwd: join(root, 'src')})
    expect(list.status, list.stderr).to.equal(0)
    expect(snapshot(root)).to.deep.equal(adopted)
  })

  it('init again, killed before the commit point: the folder is the user\'s project as it was, then adopted', () => {
    const root = copy('killed')
    mkdirSync(join(root, LOCK_PATH), {recursive: true})
    writeFileSync(join(root, LOCK_PATH, 'ticket.1.999999-dead01'), '999999\n')
    mkdirSync(join(root, TXN_DIR), {recursive: true})
    const list = runCli(['list'], {cwd: root})
    expect(list.status).to.equal(1)
    expect(snapshot(root)).to.deep.equal(original)
    const again = runCli(['init'], {cwd: root})
    expect(again.status, again.stderr).to.equal(0)
    expect(snapshot(root)).to.deep.equal(adopted)
  })
})
