import {expect} from 'chai'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {findProjectRoot, loadProject, parseConfig} from '../../src/engine/project.js'
import {UserError} from '../../src/errors.js'
import {useTempDir} from '../helpers/fs.js'

describe('engine/project', () => {
  const dir = useTempDir()

  it('finds the root from a nested directory and applies defaults', () => {
    writeFileSync(join(dir.path, 'restack.yaml'), 'restack: 1\napp: demo\n')
    mkdirSync(join(dir.path, 'src/agents'), {recursive: true})
    expect(findProjectRoot(join(dir.path, 'src/agents'))).to.equal(dir.path)
    expect(loadProject(join(dir.path, 'src')).config.defaults).to.deep.equal({pipelineLoopMax: 3, taskQueue: 'restack'})
  })

  it('says how to get a project when there is none', () => {
    expect(() => loadProject(dir.path)).to.throw(UserError, /not inside a restack project.*restack new/)
  })

  it('names the path of a bad key', () => {
    expect(() => parseConfig('restack: 1\napp: demo\ndefaults:\n  pipelineLoopMax: zero\n')).to.throw(UserError, /invalid at "defaults\.pipelineLoopMax"/)
    expect(() => parseConfig('restack: 2\napp: demo\n')).to.throw(UserError, /invalid at "restack"/)
    expect(() => parseConfig('app: [\n')).to.throw(UserError, /not valid YAML/)
  })
})
