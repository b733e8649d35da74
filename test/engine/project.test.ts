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
    expect(() => parseConfig('restack: 1\nruntime: bundled\n')).to.throw(UserError, /invalid at "app": the key is missing\. Fix that key/)
    expect(() => parseConfig('app: demo\n')).to.throw(UserError, /invalid at "restack": the key is missing/)
  })

  // valibot's records skip these keys silently: an invalid entry under one passed unnoticed (attack-4)
  it('refuses a __proto__, constructor or prototype key in pipelines, a pipeline\'s loopMax and unitQueues, naming it', () => {
    const base = 'restack: 1\napp: demo\n'
    expect(() => parseConfig(`${base}pipelines:\n  __proto__: 5\n`)).to.throw(UserError, /invalid at "pipelines": the key "__proto__" cannot be used here/)
    expect(() => parseConfig(`${base}pipelines:\n  constructor:\n    operators: a\n`)).to.throw(UserError, /invalid at "pipelines": the key "constructor"/)
    expect(() => parseConfig(`${base}pipelines:\n  aPipeline:\n    operators: a\n    loopMax:\n      prototype: 0\n`)).to.throw(UserError, /invalid at "pipelines\.aPipeline\.loopMax": the key "prototype"/)
    expect(() => parseConfig(`${base}unitQueues:\n  __proto__: "bad queue"\n`)).to.throw(UserError, /invalid at "unitQueues": the key "__proto__"/)
    expect(parseConfig(`${base}pipelines:\n  aPipeline:\n    operators: a\n    loopMax:\n      b: 5\nunitQueues:\n  agent:x: q\n`).unitQueues).to.deep.equal({'agent:x': 'q'})
  })

  // valibot took a list for a mapping (zod/mini did not): `defaults: []` read as {} (attack-4)
  it('refuses a list or a single value where a mapping belongs, naming the key', () => {
    const base = 'restack: 1\napp: demo\n'
    for (const [text, key] of [
      [`${base}defaults: []\n`, 'defaults'],
      [`${base}pipelines: []\n`, 'pipelines'],
      [`${base}unitQueues: []\n`, 'unitQueues'],
      [`${base}pipelines:\n  xPipeline: [a]\n`, 'pipelines.xPipeline'],
      [`${base}pipelines:\n  xPipeline:\n    operators: a\n    loopMax: []\n`, 'pipelines.xPipeline.loopMax'],
      ['- restack: 1\n- app: demo\n', '(top level)'],
    ]) {
      expect(() => parseConfig(text), text).to.throw(UserError, new RegExp(`invalid at "${key.replaceAll('.', '\\.').replace('(', '\\(').replace(')', '\\)')}": .*must be a mapping`))
    }
  })
})
