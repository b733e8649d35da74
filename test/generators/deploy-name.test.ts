import {expect} from 'chai'

import {deployName} from '../../src/generators/new/generator.js'

describe('the name of the image, compose project and Kubernetes objects', () => {
  it('is the directory name as a DNS label', () => {
    expect(deployName('my-agent')).to.equal('my-agent')
    expect(deployName('@acme/support_bot')).to.equal('support-bot')
    expect(deployName('a.b~c')).to.equal('a-b-c')
    expect(deployName('_x_')).to.equal('x')
  })

  it('stays within 63 characters and never ends in "-"', () => {
    const name = deployName(`${'a'.repeat(62)}_b`)
    expect(name).to.equal('a'.repeat(62))
    expect(deployName('x'.repeat(100))).to.have.length(63)
  })

  it('falls back to a fixed name when nothing is left', () => {
    expect(deployName('___')).to.equal('restack-service')
  })
})
