import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {classify, commit, withCommitGuard} from '../../src/engine/commit.js'
import {LEDGER_PATH} from '../../src/engine/ledger.js'
import {Tree} from '../../src/engine/tree.js'
import {UserError} from '../../src/errors.js'
import {snapshot, useTempDir} from '../helpers/fs.js'

describe('engine/commit', () => {
  const dir = useTempDir()

  const plan = (files: Record<string, string>, intent: 'create' | 'update' = 'create') => {
    const tree = new Tree(dir.path)
    for (const [path, content] of Object.entries(files)) {
      if (intent === 'create') tree.create(path, content)
      else tree.update(path, content)
    }

    return tree
  }

  const actions = (tree: Tree) => classify(tree).map((file) => `${file.action} ${file.path}`)

  it('classifies create, identical, update and conflict against the disk', () => {
    writeFileSync(join(dir.path, 'same.ts'), 'same')
    writeFileSync(join(dir.path, 'theirs.ts'), 'user code')
    writeFileSync(join(dir.path, 'edited.ts'), 'before')
    const tree = plan({'new.ts': 'x', 'same.ts': 'same', 'theirs.ts': 'ours'})
    tree.update('edited.ts', 'after')
    expect(actions(tree)).to.deep.equal(['create new.ts', 'identical same.ts', 'conflict theirs.ts', 'update edited.ts'])
  })

  describe('a commit guard (restack mcp)', () => {
    it('sees the resolved plan, and with dryRun stops a real commit at the plan', async () => {
      const before = snapshot(dir.path)
      const seen: string[] = []
      const result = await withCommitGuard({dryRun: true, inspect: (_tree, files) => void seen.push(...files.map((file) => `${file.action} ${file.path}`))}, () =>
        commit(plan({'a.ts': 'x'}), {by: 'test'}),
      )
      expect(result.dryRun).to.equal(true)
      expect(seen).to.deep.equal(['create a.ts'])
      expect(snapshot(dir.path)).to.deep.equal(before)
    })

    it('refuses by throwing before anything is written, and guards only the commits inside its scope', async () => {
      const before = snapshot(dir.path)
      const refusal = new UserError('stale')
      const error = await withCommitGuard({inspect: () => {throw refusal}}, () => commit(plan({'a.ts': 'x'}), {by: 'test'})).catch((error_) => error_)
      expect(error).to.equal(refusal)
      expect(snapshot(dir.path)).to.deep.equal(before)
      await commit(plan({'a.ts': 'x'}), {by: 'test'})
      expect(readFileSync(join(dir.path, 'a.ts'), 'utf8')).to.equal('x')
    })
  })

  it('treats a file it created and nobody edited as its own, not a conflict', async () => {
    await commit(plan({'a.ts': 'v1'}), {by: 'test'})
    expect(actions(plan({'a.ts': 'v2'}))).to.deep.equal(['update a.ts'])
    writeFileSync(join(dir.path, 'a.ts'), 'user edit')
    expect(actions(plan({'a.ts': 'v2'}))).to.deep.equal(['conflict a.ts'])
  })

  it('keeps a file it created and then edited as its own, unless someone changed it in between', async () => {
    await commit(plan({'list.yaml': 'a\n'}), {by: 'test'})
    await commit(plan({'list.yaml': 'a\nb\n'}, 'update'), {by: 'test'})
    const tree = new Tree(dir.path)
    tree.delete('list.yaml')
    expect(classify(tree).map((file) => file.action)).to.deep.equal(['delete'])
    writeFileSync(join(dir.path, 'list.yaml'), 'a\nb\nmine\n')
    await commit(plan({'list.yaml': 'a\nb\nmine\nc\n'}, 'update'), {by: 'test'})
    expect(classify(tree).map((file) => file.action)).to.deep.equal(['conflict'])
  })

  it('fails on a conflict without --force or --skip, naming the file and the flags, writing nothing', async () => {
    writeFileSync(join(dir.path, 'theirs.ts'), 'user code')
    const before = snapshot(dir.path)
    const error = await commit(plan({'new.ts': 'x', 'theirs.ts': 'ours'}), {by: 'test'}).catch((error_) => error_)
    expect(error).to.be.instanceOf(UserError)
    expect(error.message).to.match(/"theirs\.ts".*--force.*--skip/)
    expect(snapshot(dir.path)).to.deep.equal(before)
  })

  it('overwrites with force and keeps with skip', async () => {
    writeFileSync(join(dir.path, 'theirs.ts'), 'user code')
    const skipped = await commit(plan({'new.ts': 'x', 'theirs.ts': 'ours'}), {by: 'test', skip: true})
    expect(skipped.files.map((f) => f.action)).to.deep.equal(['create', 'skip'])
    expect(readFileSync(join(dir.path, 'theirs.ts'), 'utf8')).to.equal('user code')
    const forced = await commit(plan({'theirs.ts': 'ours'}), {by: 'test', force: true})
    expect(forced.files.map((f) => f.action)).to.deep.equal(['force'])
    expect(readFileSync(join(dir.path, 'theirs.ts'), 'utf8')).to.equal('ours')
  })

  it('plans in a dry run exactly what the real run then does, and writes nothing', async () => {
    writeFileSync(join(dir.path, 'theirs.ts'), 'user code')
    const before = snapshot(dir.path)
    const dry = await commit(plan({'a/new.ts': 'x', 'theirs.ts': 'ours'}), {by: 'test', dryRun: true, force: true})
    expect(snapshot(dir.path)).to.deep.equal(before)
    const real = await commit(plan({'a/new.ts': 'x', 'theirs.ts': 'ours'}), {by: 'test', force: true})
    expect(dry.files).to.deep.equal(real.files)
    expect(dry.dryRun).to.equal(true)
  })

  it('records created files in a ledger that stays byte-identical on a rerun', async () => {
    await commit(plan({'a.ts': 'one', 'b.ts': 'two'}), {by: 'test'})
    const ledger = JSON.parse(readFileSync(join(dir.path, LEDGER_PATH), 'utf8'))
    expect(Object.keys(ledger.files)).to.deep.equal(['a.ts', 'b.ts'])
    const before = snapshot(dir.path)
    const again = await commit(plan({'a.ts': 'one', 'b.ts': 'two'}), {by: 'test'})
    expect(again.files.map((f) => f.action)).to.deep.equal(['identical', 'identical'])
    expect(snapshot(dir.path)).to.deep.equal(before)
  })

  it('sorts the ledger by code unit, and leaves one in another order (an older restack sorted by locale) as it is while its entries do not change', async () => {
    await commit(plan({'B.ts': 'two', 'a.ts': 'one'}), {by: 'test'})
    const path = join(dir.path, LEDGER_PATH)
    const written = JSON.parse(readFileSync(path, 'utf8'))
    expect(Object.keys(written.files)).to.deep.equal(['B.ts', 'a.ts'])
    // the order localeCompare gave: a.ts before B.ts
    const old = `${JSON.stringify({version: 1, files: {'a.ts': written.files['a.ts'], 'B.ts': written.files['B.ts']}}, null, 2)}\n`
    writeFileSync(path, old)
    const again = await commit(plan({'B.ts': 'two', 'a.ts': 'one'}), {by: 'test'})
    expect(again.files.map((f) => f.action)).to.deep.equal(['identical', 'identical'])
    expect(readFileSync(path, 'utf8')).to.equal(old)
    // a real change writes it, sorted
    await commit(plan({'c.ts': 'three'}), {by: 'test'})
    expect(Object.keys(JSON.parse(readFileSync(path, 'utf8')).files)).to.deep.equal(['B.ts', 'a.ts', 'c.ts'])
  })

  it('deletes several files of one folder and removes the folder they leave empty', async () => {
    await commit(plan({'a/b/one.ts': '1', 'a/b/two.ts': '2', 'keep.ts': 'k'}), {by: 'test'})
    const tree = new Tree(dir.path)
    tree.delete('a/b/one.ts')
    tree.delete('a/b/two.ts')
    const result = await commit(tree, {by: 'test'})
    expect(result.files.map((f) => f.action)).to.deep.equal(['delete', 'delete'])
    expect(Object.keys(snapshot(dir.path)).filter((key) => !key.startsWith('.restack'))).to.deep.equal(['keep.ts'])
  })

  it('asks per conflicting file when a resolver is given', async () => {
    writeFileSync(join(dir.path, 'x.ts'), 'mine')
    writeFileSync(join(dir.path, 'y.ts'), 'mine')
    const asked: string[] = []
    const result = await commit(plan({'x.ts': 'ours', 'y.ts': 'ours'}), {
      by: 'test',
      resolveConflict: async (path) => {
        asked.push(path)
        return path === 'x.ts' ? 'overwrite' : 'skip'
      },
    })
    expect(asked).to.deep.equal(['x.ts', 'y.ts'])
    expect(result.files.map((f) => f.action)).to.deep.equal(['force', 'skip'])
    expect(readFileSync(join(dir.path, 'y.ts'), 'utf8')).to.equal('mine')
  })
})
