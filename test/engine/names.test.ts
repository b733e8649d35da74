import {expect} from 'chai'

import {toNames} from '../../src/engine/names.js'
import {UserError} from '../../src/errors.js'

describe('engine/names', () => {
  it('gives the same names for every input style', () => {
    const expected = {camel: 'blogPost', kebab: 'blog-post', pascal: 'BlogPost', snake: 'blog_post', words: ['blog', 'post']}
    for (const input of ['blog post', 'blog_post', 'BlogPost', 'blogPost', 'blog-post', '  Blog  Post ']) {
      expect(toNames(input), input).to.deep.equal(expected)
    }
  })

  it('splits acronyms and keeps digits inside words', () => {
    expect(toNames('HTTPServer').kebab).to.equal('http-server')
    expect(toNames('step1').camel).to.equal('step1')
    expect(toNames('sendEmailV2').snake).to.equal('send_email_v2')
  })

  const rejects = (input: string, pattern: RegExp) => {
    expect(() => toNames(input, 'function name')).to.throw(UserError, pattern)
  }

  it('rejects an empty name', () => rejects('   ', /function name is empty/))
  it('rejects a leading digit, quoting the value and suggesting a fix', () => rejects('1st-step', /"1st-step" is not a valid function name: a name must start with a letter\. Try "/))
  it('rejects reserved words', () => {
    rejects('delete', /"delete" is a reserved word/)
    rejects('Class', /"class" is a reserved word/)
  })

  it('rejects characters that cannot be in an identifier', () => rejects('send.email', /"\." is not allowed.*Try "SendEmail"/))
})
