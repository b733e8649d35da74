import {expect} from 'chai'
import {chownSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {UserError} from '../../src/errors.js'
import {readJournal, TXN_DIR, writeExclusive, writeJournal} from '../../src/engine/journal.js'
import {recover} from '../../src/engine/recover.js'
import {planJournal, writeAll} from '../../src/engine/write.js'
import {snapshot, useTempDir} from '../helpers/fs.js'

describe('engine/write', () => {
  const dir = useTempDir()

  it('writes, replaces and deletes files, creating directories, and leaves no journal or temp file', () => {
    writeFileSync(join(dir.path, 'old.txt'), 'old')
    writeFileSync(join(dir.path, 'gone.txt'), 'bye')
    writeAll(dir.path, [{content: 'new', path: 'a/b/new.txt'}, {content: 'replaced', path: 'old.txt'}, {path: 'gone.txt'}])
    expect(readFileSync(join(dir.path, 'a/b/new.txt'), 'utf8')).to.equal('new')
    expect(readFileSync(join(dir.path, 'old.txt'), 'utf8')).to.equal('replaced')
    expect(existsSync(join(dir.path, 'gone.txt'))).to.equal(false)
    expect(Object.keys(snapshot(dir.path)).sort()).to.deep.equal(['a/', 'a/b/', 'a/b/new.txt', 'old.txt'])
  })

  it('keeps the mode of a file it replaces', () => {
    writeFileSync(join(dir.path, 'run.sh'), 'old', {mode: 0o755})
    writeAll(dir.path, [{content: 'new', path: 'run.sh'}])
    expect(snapshot(dir.path)['run.sh']).to.match(/ 755$/)
  })

  it('restores every file and removes new directories when one write fails', () => {
    writeFileSync(join(dir.path, 'keep.txt'), 'original')
    writeFileSync(join(dir.path, 'gone.txt'), 'still here')
    mkdirSync(join(dir.path, 'blocker'))
    writeFileSync(join(dir.path, 'blocker/inside.txt'), 'x')
    const before = snapshot(dir.path)
    expect(() =>
      writeAll(dir.path, [
        {content: 'changed', path: 'keep.txt'},
        {content: 'fresh', path: 'deep/er/file.txt'},
        {path: 'gone.txt'},
        // a directory where a file belongs fails before anything is written
        {content: 'boom', path: 'blocker'},
      ]),
    ).to.throw()
    expect(snapshot(dir.path)).to.deep.equal(before)
  })

  it('removes directories its deletions leave empty, inside the commit', () => {
    mkdirSync(join(dir.path, 'test/workflows'), {recursive: true})
    writeFileSync(join(dir.path, 'test/workflows/onboard.test.ts'), 'x')
    writeFileSync(join(dir.path, 'keep.txt'), 'original')
    writeAll(dir.path, [{path: 'test/workflows/onboard.test.ts'}, {content: 'changed', path: 'keep.txt'}])
    expect(existsSync(join(dir.path, 'test'))).to.equal(false)
    expect(readFileSync(join(dir.path, 'keep.txt'), 'utf8')).to.equal('changed')
  })

  it('never writes through a symlink that leaves the project, and follows one that stays inside', () => {
    const outside = join(dir.path, 'outside')
    const project = join(dir.path, 'project')
    mkdirSync(outside)
    mkdirSync(join(project, 'src/real'), {recursive: true})
    writeFileSync(join(outside, 'secret.txt'), 'do not touch')
    symlinkSync(join(outside, 'secret.txt'), join(project, 'src/services.ts'))
    symlinkSync(outside, join(project, 'linked'))
    symlinkSync(join(project, 'src/real'), join(project, 'src/inside'))
    const before = snapshot(dir.path)
    for (const path of ['src/services.ts', 'linked/new.ts']) {
      const error = (() => {
        try {
          writeAll(project, [{content: 'evil', path}])
        } catch (error_) {
          return error_
        }
      })()
      expect(error, path).to.be.instanceOf(UserError)
      expect((error as Error).message).to.match(/is a symbolic link to .*outside the project.*nothing was written/)
      expect(snapshot(dir.path)).to.deep.equal(before)
    }

    writeAll(project, [{content: 'fine', path: 'src/inside/x.ts'}])
    expect(readFileSync(join(project, 'src/real/x.ts'), 'utf8')).to.equal('fine')
  })

  it('creates staged files exclusively and never through a planted symlink', () => {
    writeFileSync(join(dir.path, 'victim.txt'), 'untouched')
    symlinkSync(join(dir.path, 'victim.txt'), join(dir.path, 'planted'))
    expect(() => writeExclusive(join(dir.path, 'planted'), 'evil')).to.throw(/EEXIST|ELOOP/)
    expect(readFileSync(join(dir.path, 'victim.txt'), 'utf8')).to.equal('untouched')
  })

  it('stages each write under an unpredictable temp name', () => {
    const temps = new Set<string>()
    for (let index = 0; index < 50; index++) for (const entry of planJournal(dir.path, [{content: 'x', path: 'src/x.ts'}]).entries) temps.add(entry.temp!)
    expect(temps.size).to.equal(50)
    for (const temp of temps) expect(temp).to.match(/^src\/\.x\.ts\.[\da-f]{16}\.restack-tmp$/)
  })

  describe('recovery of a killed commit', () => {
    const setUp = () => {
      mkdirSync(join(dir.path, '.restack'))
      writeFileSync(join(dir.path, 'a.txt'), 'old a')
      writeFileSync(join(dir.path, 'b.txt'), 'old b')
      return snapshot(dir.path)
    }

    it('completes a commit whose journal is written (roll forward), from any point of its apply', () => {
      const before = setUp()
      writeAll(dir.path, [{content: 'new a', path: 'a.txt'}, {path: 'b.txt'}, {content: 'c', path: 'n/c.txt'}])
      const after = snapshot(dir.path)
      // Replay the same commit from its journal over a half-applied tree: only a.txt written so far.
      writeFileSync(join(dir.path, 'a.txt'), 'old a')
      writeFileSync(join(dir.path, 'b.txt'), 'old b')
      rmSync(join(dir.path, 'n'), {recursive: true})
      mkdirSync(join(dir.path, TXN_DIR))
      const journal = planJournal(dir.path, [{content: 'new a', path: 'a.txt'}, {path: 'b.txt'}, {content: 'c', path: 'n/c.txt'}])
      writeFileSync(join(dir.path, 'a.txt'), 'new a')
      writeJournal(dir.path, journal)
      expect(recover(dir.path)).to.match(/completed from its journal \(3 files: a.txt, b.txt, n\/c.txt\)/)
      expect(snapshot(dir.path)).to.deep.equal(after)
      expect(before).to.not.deep.equal(after)
    })

    it('finishes a rollback that was interrupted', () => {
      const before = setUp()
      const journal = planJournal(dir.path, [{content: 'new a', path: 'a.txt'}, {path: 'b.txt'}, {content: 'c', path: 'n/c.txt'}])
      mkdirSync(join(dir.path, TXN_DIR))
      writeJournal(dir.path, {...journal, state: 'rolling-back'})
      writeFileSync(join(dir.path, 'a.txt'), 'new a')
      rmSync(join(dir.path, 'b.txt'))
      mkdirSync(join(dir.path, 'n'))
      writeFileSync(join(dir.path, 'n/c.txt'), 'c')
      expect(recover(dir.path)).to.match(/undo was finished/)
      expect(snapshot(dir.path)).to.deep.equal(before)
    })

    it('drops the staging folder of a commit killed before its commit point, touching nothing else', () => {
      const before = setUp()
      mkdirSync(join(dir.path, TXN_DIR))
      writeFileSync(join(dir.path, TXN_DIR, 'journal.json.prepared'), '{"half')
      expect(recover(dir.path)).to.match(/interrupted before it changed any file/)
      expect(existsSync(join(dir.path, TXN_DIR))).to.equal(false)
      expect(snapshot(dir.path)).to.deep.equal(before)
    })

    it('never replays a journal another user owns (one planted in a shared folder), and leaves it and the project as they are', function () {
      if (process.geteuid?.() !== 0) {
        console.warn('    needs root, to give the journal to another user')
        this.skip()
      }

      setUp()
      mkdirSync(join(dir.path, TXN_DIR))
      writeJournal(dir.path, planJournal(dir.path, [{content: 'planted', path: 'a.txt'}, {path: 'b.txt'}]))
      const txn = join(dir.path, TXN_DIR)
      chownSync(txn, 65_534, 65_534)
      const planted = snapshot(dir.path)
      expect(() => recover(dir.path)).to.throw(UserError, /\.restack\/txn" holds the journal of an interrupted restack command, and it belongs to another user \(uid 65534\): restack never replays/)
      // the folder is the user's, the journal in it is not
      chownSync(txn, 0, 0)
      chownSync(join(txn, 'journal.json'), 65_534, 65_534)
      expect(() => recover(dir.path)).to.throw(UserError, /uid 65534/)
      expect(snapshot(dir.path)).to.deep.equal(planted)
      // once it is the user's own, it is replayed as before
      chownSync(join(txn, 'journal.json'), 0, 0)
      expect(recover(dir.path)).to.match(/completed from its journal/)
      expect(readFileSync(join(dir.path, 'a.txt'), 'utf8')).to.equal('planted')
    })

    it('refuses to guess when the journal cannot be read', () => {
      setUp()
      mkdirSync(join(dir.path, TXN_DIR))
      writeFileSync(join(dir.path, TXN_DIR, 'journal.json'), 'not json')
      expect(() => readJournal(dir.path)).to.throw(UserError, /cannot be used.*delete \.restack\/txn/)
    })
  })

})
