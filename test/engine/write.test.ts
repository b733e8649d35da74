import {expect} from 'chai'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {writeAll} from '../../src/engine/write.js'
import {snapshot, useTempDir} from '../helpers/fs.js'

describe('engine/write', () => {
  const dir = useTempDir()

  it('writes, replaces and deletes files, creating directories', () => {
    writeFileSync(join(dir.path, 'old.txt'), 'old')
    writeFileSync(join(dir.path, 'gone.txt'), 'bye')
    writeAll([
      {content: 'new', path: join(dir.path, 'a/b/new.txt')},
      {content: 'replaced', path: join(dir.path, 'old.txt')},
      {path: join(dir.path, 'gone.txt')},
    ])
    expect(readFileSync(join(dir.path, 'a/b/new.txt'), 'utf8')).to.equal('new')
    expect(readFileSync(join(dir.path, 'old.txt'), 'utf8')).to.equal('replaced')
    expect(existsSync(join(dir.path, 'gone.txt'))).to.equal(false)
  })

  it('restores every file and removes new directories when one write fails', () => {
    writeFileSync(join(dir.path, 'keep.txt'), 'original')
    writeFileSync(join(dir.path, 'gone.txt'), 'still here')
    mkdirSync(join(dir.path, 'blocker'))
    const before = snapshot(dir.path)
    expect(() =>
      writeAll([
        {content: 'changed', path: join(dir.path, 'keep.txt')},
        {content: 'fresh', path: join(dir.path, 'deep/er/file.txt')},
        {path: join(dir.path, 'gone.txt')},
        // renaming a file over a directory fails after the earlier renames succeeded
        {content: 'boom', path: join(dir.path, 'blocker')},
      ]),
    ).to.throw()
    expect(snapshot(dir.path)).to.deep.equal(before)
  })
})
