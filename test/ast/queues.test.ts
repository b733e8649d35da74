import {expect} from 'chai'

import {addQueue, removeQueue} from '../../src/ast/queues.js'
import {UserError} from '../../src/errors.js'

const EMPTY = '// comment\nexport const FUNCTION_QUEUES: string[] = [];\n'

describe('ast/queues', () => {
  it('lists a queue once and removes it to the exact bytes, in any order', () => {
    const a = addQueue(EMPTY, 'payments')
    expect(a).to.equal('// comment\nexport const FUNCTION_QUEUES: string[] = [ "payments" ];\n')
    expect(addQueue(a, 'payments')).to.equal(a)
    const ab = addQueue(a, 'email')
    expect(ab).to.include('[ "payments", "email" ]')
    expect(removeQueue(ab, 'payments')).to.equal(addQueue(EMPTY, 'email'))
    expect(removeQueue(removeQueue(ab, 'email'), 'payments')).to.equal(EMPTY)
  })

  it('says what to restore when the list is gone', () => {
    expect(() => addQueue('export const other = 1;\n', 'x')).to.throw(UserError, /has no "export const FUNCTION_QUEUES/)
  })
})
