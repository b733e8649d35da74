import {expect} from 'chai'

import {toNames} from '../../src/engine/names.js'

const refusal = (input: string): string => {
  try {
    toNames(input, 'function name')
  } catch (error) {
    return (error as Error).message
  }

  throw new Error(`${input} was accepted`)
}

// Regression (issue 12): "9lives9" was told to try "9lives999", "Café" to try "Caf".
describe('engine/names: the "Try ..." of a refused name is itself a valid name', () => {
  const cases: Array<[string, string | undefined]> = [
    ['9lives9', 'Lives99'],
    ['Café', 'Cafe'],
    ['café au lait', 'CafeAuLait'],
    ['über cool', 'UberCool'],
    ['1st-step', 'Step1'],
    ['2fast', 'Fast2'],
    ['send.email', 'SendEmail'],
    ['123', 'Step1'],
    ['日本', undefined],
    ['9 日本', undefined],
  ]
  for (const [input, expected] of cases) {
    it(`${input} -> ${expected ?? 'no suggestion'}`, () => {
      const message = refusal(input)
      const suggested = /Try "([^"]+)"\./.exec(message)?.[1]
      expect(suggested, message).to.equal(expected)
      if (suggested !== undefined) expect(() => toNames(suggested, 'function name')).not.to.throw()
    })
  }
})
