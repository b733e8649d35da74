import {expect} from 'chai'

import {UserError} from '../../src/errors.js'
import {bestVersion, checkVersion, isAhead, resolutions} from '../../src/prompts/version.js'

describe('prompts/version', () => {
  it('accepts semantic versions, prereleases included, as written', () => {
    for (const version of ['1.0.0', '0.1.0', '10.20.30', '2.0.0-beta.1', '1.0.0-rc.1']) expect(checkVersion(version)).to.equal(version)
  })

  const refusal = (input: string): string => {
    try {
      checkVersion(input)
    } catch (error) {
      expect(error).to.be.instanceOf(UserError)
      return (error as UserError).message
    }

    throw new Error(`${input} was accepted`)
  }

  it('refuses anything else in one paragraph naming the value and the fix', () => {
    expect(refusal('abc')).to.match(/^"abc" is not a valid prompt version: a version is MAJOR\.MINOR\.PATCH.*--version 1\.0\.0.*Nothing was written\.$/)
    expect(refusal('1.2')).to.match(/^"1\.2" is not a valid prompt version: a version has three numbers, e\.g\. "1\.2\.0"/)
    expect(refusal('v1.0.0')).to.match(/write it as "1\.0\.0"/)
    expect(refusal('1.0.0+build.5')).to.match(/build metadata \("\+build\.5"\) is not allowed/)
    expect(refusal('')).to.match(/it is empty/)
    for (const input of ['abc', '1.2', 'v1.0.0', '01.0.0', '1.0.0.0']) expect(refusal(input)).not.to.include('\n')
  })

  it('moves latest forward only: a release beats any prerelease, otherwise the higher version wins', () => {
    expect(isAhead('1.1.0', '1.0.0')).to.equal(true)
    expect(isAhead('1.0.1', '1.1.0')).to.equal(false)
    expect(isAhead('2.0.0-beta.1', '1.1.0')).to.equal(false)
    expect(isAhead('1.0.0', '2.0.0-beta.1')).to.equal(true)
    expect(isAhead('2.0.0-beta.2', '2.0.0-beta.1')).to.equal(true)
    expect(isAhead('2.0.0', '2.0.0-beta.1')).to.equal(true)
    expect(bestVersion(['1.0.0', '2.0.0-beta.1', '1.1.0', '1.0.1'])).to.equal('1.1.0')
    expect(bestVersion(['2.0.0-beta.1', '2.0.0-alpha.3'])).to.equal('2.0.0-beta.1')
    expect(bestVersion([])).to.equal(undefined)
  })

  it('computes what the loader resolves for latest, each major and minor, and each exact version', () => {
    expect(resolutions(['2.0.0-beta.1', '1.1.0', '1.0.0', '1.0.1'], '1.1.0')).to.deep.equal([
      ['latest', '1.1.0'],
      ['1', '1.1.0'],
      ['1.0', '1.0.1'],
      ['1.1', '1.1.0'],
      ['2', undefined],
      ['2.0', undefined],
      ['1.0.0', '1.0.0'],
      ['1.0.1', '1.0.1'],
      ['1.1.0', '1.1.0'],
      ['2.0.0-beta.1', '2.0.0-beta.1'],
    ])
    expect(resolutions(['1.0.0'], undefined)[0]).to.deep.equal(['1', '1.0.0'])
  })
})
