import {expect} from 'chai'

import {setRuntimeKey} from '../../src/runtime/switch.js'

describe('runtime/switch', () => {
  const config = '# restack.yaml: comments stay\nrestack: 1\napp: "demo" # the app\nruntime: bundled # where the API comes from\ndefaults:\n  taskQueue: restack\n'

  it('sets runtime in place, keeping comments and layout', () => {
    const there = setRuntimeKey(config, 'restackio')
    expect(there).to.equal(config.replace('runtime: bundled', 'runtime: restackio'))
    expect(setRuntimeKey(there, 'bundled')).to.equal(config)
    expect(setRuntimeKey(config, 'bundled')).to.equal(config)
  })

  it('adds the key after app when a project has none', () => {
    const old = 'restack: 1\napp: demo\ndefaults:\n  taskQueue: restack\n'
    expect(setRuntimeKey(old, 'restackio')).to.equal('restack: 1\napp: demo\nruntime: restackio\ndefaults:\n  taskQueue: restack\n')
  })
})
