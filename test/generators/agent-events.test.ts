import {expect} from 'chai'

import {registerFunction} from '../../src/ast/services.js'
import {UserError} from '../../src/errors.js'
import {agentEvents} from '../../src/generators/agent/generator.js'

describe('generators: agent events and queue limits', () => {
  it('keeps event wire names exactly as typed, with camel-case constants', () => {
    expect(agentEvents(['user-feedback', 'message'])).to.deep.equal([
      {constName: 'userFeedbackEvent', name: 'user-feedback', pascal: 'UserFeedback'},
      {constName: 'messageEvent', name: 'message', pascal: 'Message'},
    ])
  })

  it('refuses two wire names for one constant, constants the agent file has, and names that cannot be sent as typed', () => {
    expect(() => agentEvents(['user-feedback', 'userFeedback'])).to.throw(UserError, /"user-feedback" -> userFeedbackEvent, "userFeedback" -> userFeedbackEvent/)
    expect(() => agentEvents(['define'])).to.throw(UserError, /"defineEvent"/)
    expect(() => agentEvents(['End'])).to.throw(UserError, /"endEvent"/)
    expect(() => agentEvents(['x y'])).to.throw(UserError, /"x y" is not a valid event name.*e\.g\. "x-y"/)
  })

  it('refuses other limits for a queue that has a service, and accepts the same ones', () => {
    const source = 'client.startService({ taskQueue: "restack", functions: { greet } });\nPromise.all([client.startService({ taskQueue: "restack", functions: { greet } }), client.startService({ taskQueue: "q", functions: { a }, options: { rateLimit: 5 } })]);\n'
    const registration = {defaultQueue: 'restack', name: 'b', taskQueue: 'q'}
    expect(() => registerFunction(source, {...registration, rateLimit: 10})).to.throw(UserError, /already has a service in src\/services\.ts with rateLimit 5, and --rate-limit 10/)
    expect(registerFunction(source, {...registration, rateLimit: 5})).to.include('functions: { a, b }')
  })
})
