import {expect} from 'chai'

import type {PipelineNode, StepNode} from '../../src/pipeline/ir.js'

import {UserError} from '../../src/errors.js'
import {MAX_NESTING, parsePipeline, PipelineSyntaxError} from '../../src/pipeline/parser.js'

const FIX = 'Fix the expression, e.g. "A → B ⇄ C → D"; see docs/pipelines.md.'

/** A compact rendering of a tree: `seq(A, loop(B, C))`, `cond(A ? B : C)`. */
function shape(node: PipelineNode): string {
  switch (node.type) {
    case 'step': {
      return node.name
    }

    case 'sequence':
    case 'loop': {
      return `${node.type === 'sequence' ? 'seq' : 'loop'}(${node.items.map((item) => shape(item)).join(', ')})`
    }

    case 'conditional': {
      return `cond(${shape(node.condition)} ? ${shape(node.then)}${node.else ? ` : ${shape(node.else)}` : ''})`
    }
  }
}

const parsesTo = (expression: string, expected: string) => expect(shape(parsePipeline(expression)), expression).to.equal(expected)

/** A step node for `name` at its first occurrence in `expression`. */
const stepIn = (expression: string, name: string): StepNode => {
  const start = expression.indexOf(name)
  return {end: start + name.length, name, start, type: 'step'}
}

function syntaxError(expression: string): PipelineSyntaxError {
  try {
    parsePipeline(expression)
  } catch (error) {
    expect(error, expression).to.be.instanceOf(PipelineSyntaxError).and.instanceOf(UserError)
    return error as PipelineSyntaxError
  }

  throw new Error(`expected ${JSON.stringify(expression)} not to parse`)
}

/**
 * Assert the whole message: `lines` are the headline, the expression line and the caret line as
 * written here; the fix line is appended. The caret must sit under `column`.
 */
function rejects(expression: string, column: number, lines: [string, string, string]): PipelineSyntaxError {
  const error = syntaxError(expression)
  expect(error.message, expression).to.equal([...lines, FIX].join('\n'))
  expect(error.column, expression).to.equal(column)
  expect(lines[2].indexOf('^') - 2, 'caret column as written in the test').to.equal(column - 1)
  return error
}

describe('pipeline/parser', () => {
  describe('structure', () => {
    it('returns a single step as a step node, with or without parentheses', () => {
      expect(parsePipeline('IDEATE')).to.deep.equal({end: 6, name: 'IDEATE', start: 0, type: 'step'})
      expect(parsePipeline('((IDEATE))')).to.deep.equal({end: 8, name: 'IDEATE', start: 2, type: 'step'})
    })

    it('makes "→" one n-ary sequence', () => parsesTo('A → B → C → D', 'seq(A, B, C, D)'))

    it('binds ⇄ tighter than →? and →? tighter than →', () => {
      const expression = 'A → B ⇄ C → D'
      const [a, b, c, d] = ['A', 'B', 'C', 'D'].map((name) => stepIn(expression, name))
      expect(parsePipeline(expression)).to.deep.equal({items: [a, {items: [b, c], type: 'loop'}, d], type: 'sequence'})
      parsesTo('A → B ⇄ C →? (D) → E', 'seq(A, cond(loop(B, C) ? D), E)')
    })

    it('lets parentheses override precedence', () => {
      parsesTo('(A → B) ⇄ C', 'loop(seq(A, B), C)')
      parsesTo('A → (B →? (C)) ⇄ D', 'seq(A, loop(cond(B ? C), D))')
    })

    it('flattens nested sequences but keeps a parenthesised loop as a group', () => {
      parsesTo('A → (B → C)', 'seq(A, B, C)')
      parsesTo('(A → B) → C', 'seq(A, B, C)')
      parsesTo('((A → B) → (C → D))', 'seq(A, B, C, D)')
      parsesTo('A ⇄ B ⇄ C', 'loop(A, B, C)')
      parsesTo('(A ⇄ B) ⇄ C', 'loop(loop(A, B), C)')
      parsesTo('A ⇄ (B ⇄ C)', 'loop(A, loop(B, C))')
    })

    it('chains loops inside a sequence', () => parsesTo('A ⇄ B → C ⇄ D ⇄ E → F', 'seq(loop(A, B), loop(C, D, E), F)'))

    it('parses a conditional without a false branch, leaving "else" out', () => {
      const expression = 'CHECK →? (PUBLISH)'
      expect(parsePipeline(expression)).to.deep.equal({condition: stepIn(expression, 'CHECK'), then: stepIn(expression, 'PUBLISH'), type: 'conditional'})
      expect(parsePipeline(expression)).not.to.have.property('else')
    })

    it('parses a conditional with a false branch, each branch a full expression', () => {
      const expression = 'CHECK →? (PUBLISH, REVISE)'
      expect(parsePipeline(expression)).to.deep.equal({
        condition: stepIn(expression, 'CHECK'),
        else: stepIn(expression, 'REVISE'),
        then: stepIn(expression, 'PUBLISH'),
        type: 'conditional',
      })
      parsesTo('C →? (A → B, D ⇄ E)', 'cond(C ? seq(A, B) : loop(D, E))')
    })

    it('nests conditionals in branches', () => {
      parsesTo('A →? (B →? (C, D), E)', 'cond(A ? cond(B ? C : D) : E)')
      parsesTo('A →? (B, C →? (D →? (E)))', 'cond(A ? B : cond(C ? cond(D ? E)))')
    })

    it('takes a loop, a group or a sequence item as the condition', () => {
      parsesTo('A ⇄ B →? (C)', 'cond(loop(A, B) ? C)')
      parsesTo('(A → B) →? (C)', 'cond(seq(A, B) ? C)')
      parsesTo('A → B →? (C) → D →? (E, F)', 'seq(A, cond(B ? C), cond(D ? E : F))')
    })

    it('puts a conditional inside a loop group and a loop inside a branch', () => {
      parsesTo('(A →? (B)) ⇄ C', 'loop(cond(A ? B), C)')
      parsesTo('A →? (B ⇄ C, D)', 'cond(A ? loop(B, C) : D)')
      parsesTo('(A →? (B ⇄ C)) ⇄ D', 'loop(cond(A ? loop(B, C)), D)')
    })

    it('gives the same tree for the ASCII and the Unicode operators', () => {
      const pairs = [
        ['A -> B <-> C -> D', 'A → B ⇄ C → D'],
        ['A->?(B->C,D<->E)', 'A→?(B→C,D⇄E)'],
        ['(A <-> B) ->? (C ->? (D)) -> E', '(A ⇄ B) →? (C →? (D)) → E'],
      ]
      const strip = (node: PipelineNode): unknown => JSON.parse(JSON.stringify(node, (key, value) => (key === 'start' || key === 'end' ? undefined : value)))
      for (const [ascii, unicode] of pairs) expect(strip(parsePipeline(ascii)), ascii).to.deep.equal(strip(parsePipeline(unicode)))
    })

    it('gives the same positions for ASCII and Unicode forms of the same length', () => {
      const ascii = 'PLAN -> DRAFT <-> REVIEW ->? (SHIP, PLAN)'
      const unicode = ascii.replaceAll('->?', ' →?').replaceAll('<->', '  ⇄').replaceAll('->', ' →')
      expect(unicode).to.equal('PLAN  → DRAFT   ⇄ REVIEW  →? (SHIP, PLAN)')
      expect(parsePipeline(unicode)).to.deep.equal(parsePipeline(ascii))
    })

    it('records each step\'s 0-based start and exclusive end', () => {
      const expression = '  IDEATE →  send-email ⇄ (x_1)'
      expect(parsePipeline(expression)).to.deep.equal({
        items: [
          {end: 8, name: 'IDEATE', start: 2, type: 'step'},
          {items: [{end: 22, name: 'send-email', start: 12, type: 'step'}, {end: 29, name: 'x_1', start: 26, type: 'step'}], type: 'loop'},
        ],
        type: 'sequence',
      })
    })

    it('accepts names with "-", "_" and digits, ending a name before "->"', () => {
      parsesTo('send-email_v2 → _private → step-3-b', 'seq(send-email_v2, _private, step-3-b)')
      parsesTo('a->b<->c-d', 'seq(a, loop(b, c-d))')
    })

    it('ignores whitespace between tokens, including none at all', () => {
      parsesTo('A→B⇄C→?(D,E)', 'seq(A, cond(loop(B, C) ? D : E))')
      parsesTo(' \tA \n → \r\n B ', 'seq(A, B)')
    })
  })

  describe('size', () => {
    it('parses a 2,000-step sequence into one flat sequence', () => {
      const expression = Array.from({length: 2000}, (_, index) => `S${index}`).join(' → ')
      const tree = parsePipeline(expression)
      expect(tree.type === 'sequence' && tree.items.length).to.equal(2000)
    })

    it('parses 200 nested parentheses and 200 nested conditionals', () => {
      parsesTo(`${'('.repeat(200)}A → B${')'.repeat(200)}`, 'seq(A, B)')
      let nested = 'X'
      for (let index = 0; index < 200; index++) nested = `C${index} →? (${nested}, E)`
      expect(parsePipeline(nested).type).to.equal('conditional')
    })

    it(`refuses nesting deeper than ${MAX_NESTING} levels with a syntax error, not a stack overflow`, () => {
      const error = syntaxError(`${'('.repeat(MAX_NESTING + 1)}A${')'.repeat(MAX_NESTING + 1)}`)
      expect(error.column).to.equal(MAX_NESTING + 1)
      expect(error.message.split('\n')[0]).to.equal(`Unexpected "(" at column ${MAX_NESTING + 1}: parentheses nest more than ${MAX_NESTING} levels deep; flatten the expression.`)
    })
  })

  describe('errors', () => {
    it('refuses an empty or whitespace-only expression', () => {
      for (const expression of ['', ' \t ']) {
        const error = syntaxError(expression)
        expect(error.message).to.equal(`The pipeline expression is empty: write step names joined by operators. ${FIX}`)
        expect([error.column, error.found, error.expected]).to.deep.equal([expression.length + 1, 'the end of the expression', 'a step name'])
      }
    })

    it('refuses a leading operator', () => {
      rejects('→ A', 1, ['Unexpected "→" at column 1: the expression must start with a step name.', '  → A', '  ^'])
      rejects('  <-> A', 3, ['Unexpected "<->" at column 3: the expression must start with a step name.', '    <-> A', '    ^'])
      rejects(', A', 1, ['Unexpected "," at column 1: the expression must start with a step name.', '  , A', '  ^'])
    })

    it('refuses a trailing operator, pointing just past the end', () => {
      const error = rejects('A → B →', 8, ['Unexpected end of the expression at column 8: expected a step name after "→".', '  A → B →', '         ^'])
      expect([error.found, error.expected]).to.deep.equal(['the end of the expression', 'a step name'])
      rejects('A <->', 6, ['Unexpected end of the expression at column 6: expected a step name after "<->".', '  A <->', '       ^'])
      rejects('A →?', 5, [
        'Unexpected end of the expression at column 5: expected "(" after "→?": a conditional\'s branches go in parentheses, as in "A →? (B)" or "A →? (B, C)".',
        '  A →?',
        '      ^',
      ])
    })

    it('refuses a double operator, pointing at the second', () => {
      const error = rejects('IDEATE → → RESEARCH', 10, ['Unexpected "→" at column 10: expected a step name.', '  IDEATE → → RESEARCH', '           ^'])
      expect([error.found, error.expected]).to.deep.equal(['→', 'a step name'])
      rejects('A ⇄ ->B', 5, ['Unexpected "->" at column 5: expected a step name.', '  A ⇄ ->B', '      ^'])
    })

    it('refuses an empty group', () => {
      rejects('()', 2, ['Unexpected ")" at column 2: "()" is an empty group; put a step inside or remove the parentheses.', '  ()', '   ^'])
      rejects('A → ( )', 7, ['Unexpected ")" at column 7: "()" is an empty group; put a step inside or remove the parentheses.', '  A → ( )', '        ^'])
    })

    it('refuses a conditional with no branches', () => {
      rejects('A →? ()', 7, ['Unexpected ")" at column 7: a conditional needs at least one branch, as in "A →? (B)" or "A →? (B, C)".', '  A →? ()', '        ^'])
    })

    it('refuses an unclosed "(", naming where it was opened', () => {
      const error = rejects('(A → B', 7, ['Unexpected end of the expression at column 7: expected ")" to close the "(" at column 1.', '  (A → B', '        ^'])
      expect(error.expected).to.equal('")"')
      rejects('A → ((B) ⇄ C', 13, ['Unexpected end of the expression at column 13: expected ")" to close the "(" at column 5.', '  A → ((B) ⇄ C', '              ^'])
      rejects('A →? (B', 8, ['Unexpected end of the expression at column 8: expected "," or ")" to close the branches opened at column 6.', '  A →? (B', '         ^'])
      rejects('A →? (B, C', 11, ['Unexpected end of the expression at column 11: expected ")" to close the branches opened at column 6.', '  A →? (B, C', '            ^'])
    })

    it('refuses a ")" with no "(" to close', () => {
      rejects('A → B)', 6, ['Unexpected ")" at column 6: there is no "(" for it to close.', '  A → B)', '       ^'])
      rejects('(A ⇄ B)) → C', 8, ['Unexpected ")" at column 8: there is no "(" for it to close.', '  (A ⇄ B)) → C', '         ^'])
      rejects(')', 1, ['Unexpected ")" at column 1: there is no "(" for it to close.', '  )', '  ^'])
      rejects('A → )', 5, ['Unexpected ")" at column 5: there is no "(" for it to close.', '  A → )', '      ^'])
      rejects('(A → )', 6, ['Unexpected ")" at column 6: expected a step name.', '  (A → )', '       ^'])
    })

    it('refuses "→ ?" with a space', () => {
      rejects('A → ? (B)', 5, ['"?" at column 5 is not allowed on its own: write the conditional operator as "→?", with no space between "→" and "?".', '  A → ? (B)', '      ^'])
    })

    it('refuses a third branch', () => {
      const error = rejects('A →? (B, C, D)', 11, ['Unexpected "," at column 11: a conditional takes at most two branches: (then, else).', '  A →? (B, C, D)', '            ^'])
      expect(error.found).to.equal(',')
    })

    it('refuses an empty else branch', () => {
      rejects('A →? (B,)', 9, ['Unexpected ")" at column 9: expected a step name for the else branch after ",", or remove the ",".', '  A →? (B,)', '          ^'])
    })

    it('refuses a comma outside a conditional\'s branches', () => {
      rejects('A, B', 2, ['Unexpected "," at column 2: a comma only separates the two branches of a conditional, as in "A →? (B, C)".', '  A, B', '   ^'])
      rejects('X → (A, B)', 7, ['Unexpected "," at column 7: a comma only separates the two branches of a conditional, as in "A →? (B, C)".', '  X → (A, B)', '        ^'])
    })

    it('refuses two steps in a row', () => {
      const error = rejects('A B', 3, ['"B" at column 3: two steps in a row need an operator between them (→, ⇄ or →?).', '  A B', '    ^'])
      expect([error.found, error.expected]).to.deep.equal(['B', 'an operator (→, ⇄ or →?)'])
      rejects('A → B  C', 8, ['"C" at column 8: two steps in a row need an operator between them (→, ⇄ or →?).', '  A → B  C', '         ^'])
      rejects('A (B, C)', 3, ['"(" at column 3: two steps in a row need an operator between them (→, ⇄ or →?).', '  A (B, C)', '    ^'])
      rejects('A →? (B) C', 10, ['"C" at column 10: two steps in a row need an operator between them (→, ⇄ or →?).', '  A →? (B) C', '           ^'])
    })

    it('refuses bad characters, including non-ASCII letters', () => {
      rejects('A → B@C', 6, [
        '"@" at column 6 is not allowed in a pipeline expression: use step names (letters, digits, "_" and "-") joined by → (or ->), ⇄ (or <->) and →? (or ->?), with parentheses for groups and branches.',
        '  A → B@C',
        '       ^',
      ])
      rejects('A → café', 8, ['"é" at column 8 is not allowed in a pipeline expression: step names use only ASCII letters, digits, "_" and "-".', '  A → café', '         ^'])
      rejects('A | B', 3, [
        '"|" at column 3 is not allowed in a pipeline expression: use step names (letters, digits, "_" and "-") joined by → (or ->), ⇄ (or <->) and →? (or ->?), with parentheses for groups and branches.',
        '  A | B',
        '    ^',
      ])
      rejects('1st → B', 1, ['"1st" at column 1 is not a valid step name: a name must start with a letter or "_".', '  1st → B', '  ^'])
    })

    it('refuses a conditional without parentheses', () => {
      const error = rejects('A →? B', 6, [
        'Unexpected "B" at column 6: expected "(" after "→?": a conditional\'s branches go in parentheses, as in "A →? (B)" or "A →? (B, C)".',
        '  A →? B',
        '       ^',
      ])
      expect(error.expected).to.equal('"("')
      rejects('A ->? B, C', 7, [
        'Unexpected "B" at column 7: expected "(" after "->?": a conditional\'s branches go in parentheses, as in "A →? (B)" or "A →? (B, C)".',
        '  A ->? B, C',
        '        ^',
      ])
    })

    it('refuses a conditional chained or looped without parentheses', () => {
      rejects('A →? (B) →? (C)', 10, [
        'Unexpected "→?" at column 10: a conditional cannot directly follow another; wrap the first in parentheses, as in "(A →? (B)) →? (C)".',
        '  A →? (B) →? (C)',
        '           ^',
      ])
      rejects('A →? (B) ⇄ C', 10, ['Unexpected "⇄" at column 10: a conditional cannot be looped directly; wrap it in parentheses, as in "(A →? (B)) ⇄ C".', '  A →? (B) ⇄ C', '           ^'])
    })
  })
})
