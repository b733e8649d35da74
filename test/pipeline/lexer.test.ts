import {expect} from 'chai'

import {UserError} from '../../src/errors.js'
import {PipelineSyntaxError, type Token, tokenize} from '../../src/pipeline/lexer.js'

const FIX = 'Fix the expression, e.g. "A → B ⇄ C → D"; see docs/pipelines.md.'

/** The tokens as `type:text` for compact comparison. */
const lex = (expression: string): string[] => tokenize(expression).map((token) => `${token.type}:${token.text}`)

function lexError(expression: string): PipelineSyntaxError {
  try {
    tokenize(expression)
  } catch (error) {
    expect(error).to.be.instanceOf(PipelineSyntaxError).and.instanceOf(UserError)
    return error as PipelineSyntaxError
  }

  throw new Error(`expected ${JSON.stringify(expression)} not to tokenize`)
}

describe('pipeline/lexer', () => {
  it('gives every token its type, text and 0-based offsets, ending with an empty end token', () => {
    const expected: Token[] = [
      {end: 6, start: 0, text: 'IDEATE', type: 'name'},
      {end: 8, start: 7, text: '→', type: 'seq'},
      {end: 10, start: 9, text: '(', type: 'lparen'},
      {end: 11, start: 10, text: 'A', type: 'name'},
      {end: 13, start: 12, text: '⇄', type: 'loop'},
      {end: 15, start: 14, text: 'B', type: 'name'},
      {end: 16, start: 15, text: ')', type: 'rparen'},
      {end: 19, start: 17, text: '→?', type: 'cond'},
      {end: 21, start: 20, text: '(', type: 'lparen'},
      {end: 22, start: 21, text: 'C', type: 'name'},
      {end: 23, start: 22, text: ',', type: 'comma'},
      {end: 25, start: 24, text: 'D', type: 'name'},
      {end: 26, start: 25, text: ')', type: 'rparen'},
      {end: 26, start: 26, text: '', type: 'end'},
    ]
    expect(tokenize('IDEATE → (A ⇄ B) →? (C, D)')).to.deep.equal(expected)
  })

  it('lexes the ASCII operators like the Unicode ones', () => {
    expect(lex('A -> B <-> C ->? (D)')).to.deep.equal(['name:A', 'seq:->', 'name:B', 'loop:<->', 'name:C', 'cond:->?', 'lparen:(', 'name:D', 'rparen:)', 'end:'])
    expect(lex('A->B<->C->?(D)')).to.deep.equal(['name:A', 'seq:->', 'name:B', 'loop:<->', 'name:C', 'cond:->?', 'lparen:(', 'name:D', 'rparen:)', 'end:'])
    expect(lex('A→B⇄C→?(D)')).to.deep.equal(['name:A', 'seq:→', 'name:B', 'loop:⇄', 'name:C', 'cond:→?', 'lparen:(', 'name:D', 'rparen:)', 'end:'])
  })

  it('keeps "-" inside names but ends a name before "->"', () => {
    expect(lex('send-email')).to.deep.equal(['name:send-email', 'end:'])
    expect(lex('a->b')).to.deep.equal(['name:a', 'seq:->', 'name:b', 'end:'])
    expect(lex('send-email->notify-user')).to.deep.equal(['name:send-email', 'seq:->', 'name:notify-user', 'end:'])
    // a "-" not followed by ">" is part of the name, so "a-->b" is the name "a-" then "->"
    expect(lex('a-->b')).to.deep.equal(['name:a-', 'seq:->', 'name:b', 'end:'])
    expect(lex('a<->b')).to.deep.equal(['name:a', 'loop:<->', 'name:b', 'end:'])
  })

  it('lexes names with "_", digits and mixed case', () => {
    expect(lex('_step step_2 Step3x')).to.deep.equal(['name:_step', 'name:step_2', 'name:Step3x', 'end:'])
  })

  it('skips any whitespace between tokens, including tabs and newlines', () => {
    expect(lex(' \tA\n→\r\n B  ')).to.deep.equal(['name:A', 'seq:→', 'name:B', 'end:'])
    expect(tokenize('A  ').at(-1)).to.deep.equal({end: 3, start: 3, text: '', type: 'end'})
  })

  it('gives only the end token for an empty expression', () => {
    expect(tokenize('')).to.deep.equal([{end: 0, start: 0, text: '', type: 'end'}])
  })

  it('lexes "→?" as one token and refuses "→ ?" with a space, naming the operator to write', () => {
    expect(lex('A →?(B)')).to.deep.equal(['name:A', 'cond:→?', 'lparen:(', 'name:B', 'rparen:)', 'end:'])
    const error = lexError('A → ? (B)')
    expect(error.message).to.equal(
      [
        '"?" at column 5 is not allowed on its own: write the conditional operator as "→?", with no space between "→" and "?".',
        '  A → ? (B)',
        '      ^',
        FIX,
      ].join('\n'),
    )
    expect([error.column, error.found, error.expected]).to.deep.equal([5, '?', '"→?"'])
    expect(lexError('A ->  ?(B)').message).to.match(/^"\?" at column 7 is not allowed on its own: write the conditional operator as "->\?", with no space between "->" and "\?"\./)
  })

  it('refuses a character outside the grammar, quoting it with its column', () => {
    const error = lexError('A → @B')
    expect(error.message).to.equal(
      [
        '"@" at column 5 is not allowed in a pipeline expression: use step names (letters, digits, "_" and "-") joined by → (or ->), ⇄ (or <->) and →? (or ->?), with parentheses for groups and branches.',
        '  A → @B',
        '      ^',
        FIX,
      ].join('\n'),
    )
    expect([error.column, error.found]).to.deep.equal([5, '@'])
  })

  it('refuses non-ASCII letters and digits in names', () => {
    const error = lexError('Straße')
    expect(error.message).to.equal(
      ['"ß" at column 5 is not allowed in a pipeline expression: step names use only ASCII letters, digits, "_" and "-".', '  Straße', '      ^', FIX].join('\n'),
    )
    expect(error.column).to.equal(5)
    expect(lexError('A → B٣').found).to.equal('٣')
  })

  it('quotes a character outside the Basic Multilingual Plane whole', () => {
    const error = lexError('A → 🚀')
    expect([error.column, error.found]).to.deep.equal([5, '🚀'])
    expect(error.message.split('\n').slice(0, 3)).to.deep.equal([
      '"🚀" at column 5 is not allowed in a pipeline expression: use step names (letters, digits, "_" and "-") joined by → (or ->), ⇄ (or <->) and →? (or ->?), with parentheses for groups and branches.',
      '  A → 🚀',
      '      ^',
    ])
  })

  it('refuses a name starting with a digit, quoting the whole name', () => {
    const error = lexError('A → 2nd-step')
    expect(error.message).to.equal(
      ['"2nd-step" at column 5 is not a valid step name: a name must start with a letter or "_".', '  A → 2nd-step', '      ^', FIX].join('\n'),
    )
    expect([error.column, error.found, error.expected]).to.deep.equal([5, '2nd-step', 'a step name'])
  })

  it('points a stray "-", "<", ">" or "?" at the operator that was probably meant', () => {
    const headline = (expression: string) => lexError(expression).message.split('\n')[0]
    expect(headline('A - B')).to.equal('"-" at column 3 is not allowed here: a "-" can only appear inside a step name; the sequence operator is "→" or "->".')
    expect(headline('A <- B')).to.equal('"<" at column 3 is not allowed here: the loop operator is "⇄" or "<->".')
    expect(headline('A >B')).to.equal('">" at column 3 is not allowed here: the sequence operator is "→" or "->".')
    expect(headline('A ? (B)')).to.equal('"?" at column 3 is not allowed here: the conditional operator is "→?" or "->?", as in "A →? (B, C)".')
  })

  it('shows tabs and newlines as spaces so the caret stays under its column', () => {
    expect(lexError('A\t→\n$').message.split('\n').slice(1, 3)).to.deep.equal(['  A → $', '      ^'])
  })
})
