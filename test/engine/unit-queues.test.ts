import {expect} from 'chai'

import {removeUnitQueue, setUnitQueue, unitQueues} from '../../src/engine/unit-queues.js'

describe('engine/unit-queues', () => {
  const config = '# comment kept\nrestack: 1\napp: demo\ndefaults:\n  taskQueue: restack\n'

  it('records units on their queues as spliced lines; removing them gives back every byte', () => {
    const one = setUnitQueue(config, 'workflow:report', 'nightly')
    const two = setUnitQueue(one, 'agent:triage', 'triage')
    expect(two).to.equal(`${config}unitQueues:\n  "workflow:report": nightly\n  "agent:triage": triage\n`)
    expect([...unitQueues(two)]).to.deep.equal([['workflow:report', 'nightly'], ['agent:triage', 'triage']])
    expect(setUnitQueue(two, 'agent:triage', 'triage')).to.equal(two)
    expect(() => setUnitQueue(two, 'agent:triage', 'other')).to.throw(/already puts "agent:triage" on task queue "triage"/)
    expect(removeUnitQueue(removeUnitQueue(two, 'workflow:report'), 'agent:triage')).to.equal(config)
    expect(removeUnitQueue(removeUnitQueue(two, 'agent:triage'), 'workflow:report')).to.equal(config)
  })
})
