import type {ConditionalNode, PipelineNode} from './ir.js'

import {quote} from '../errors.js'
import {END, emptyExpressionError, syntaxError, type Token, tokenize} from './lexer.js'

export {PipelineSyntaxError} from './lexer.js'

/** Deeper nesting than this is refused with a syntax error rather than overflowing the stack. */
export const MAX_NESTING = 500

const STEP = 'a step name'
const OPERATOR = 'an operator (→, ⇄ or →?)'

/** Where an operand ended: what may close it and, for an error, the "(" that opened it. */
type Context = {kind: 'else' | 'group' | 'then'; open: Token} | {kind: 'top'}

/**
 * Parse a pipeline expression (DESIGN §6) into its IR:
 *
 *     seq  := cond ( "→" cond )*           n-ary; nested sequences are flattened
 *     cond := loop ( "→?" "(" seq ( "," seq )? ")" )?
 *     loop := primary ( "⇄" primary )*     n-ary; a parenthesised loop stays a nested group
 *     primary := NAME | "(" seq ")"
 *
 * A single operand is returned as itself, never as a one-item sequence or loop.
 * Throws PipelineSyntaxError (a UserError) naming the column of the first problem.
 */
export function parsePipeline(expression: string): PipelineNode {
  const tokens = tokenize(expression)
  if (tokens.length === 1) throw emptyExpressionError(expression)
  return new Parser(expression, tokens).parse()
}

class Parser {
  private depth = 0
  private index = 0

  constructor(
    private readonly expression: string,
    private readonly tokens: Token[],
  ) {}

  parse(): PipelineNode {
    const node = this.sequence()
    this.close({kind: 'top'})
    return node
  }

  private sequence(): PipelineNode {
    const items: PipelineNode[] = []
    do {
      const item = this.conditional()
      if (item.type === 'sequence') items.push(...item.items)
      else items.push(item)
    } while (this.accept('seq'))
    return items.length === 1 ? items[0] : {items, type: 'sequence'}
  }

  private conditional(): PipelineNode {
    const condition = this.loop()
    const operator = this.accept('cond')
    if (!operator) return condition

    const open = this.accept('lparen')
    if (!open) {
      const hint = `expected "(" after ${quote(operator.text)}: a conditional's branches go in parentheses, as in "A →? (B)" or "A →? (B, C)"`
      throw this.error(this.peek(), hint, '"("')
    }

    if (this.peek().type === 'rparen') {
      throw this.error(this.peek(), 'a conditional needs at least one branch, as in "A →? (B)" or "A →? (B, C)"', STEP)
    }

    this.enter(open)
    const node: ConditionalNode = {condition, then: this.sequence(), type: 'conditional'}
    if (this.close({kind: 'then', open}).type === 'comma') {
      node.else = this.sequence()
      this.close({kind: 'else', open})
    }

    this.depth--
    return node
  }

  private loop(): PipelineNode {
    const items = [this.primary()]
    while (this.accept('loop')) items.push(this.primary())
    return items.length === 1 ? items[0] : {items, type: 'loop'}
  }

  private primary(): PipelineNode {
    const token = this.peek()
    if (token.type === 'name') {
      this.index++
      return {end: token.end, name: token.text, start: token.start, type: 'step'}
    }

    if (token.type !== 'lparen') throw this.expectedStep(token)
    this.index++
    if (this.peek().type === 'rparen') {
      throw this.error(this.peek(), '"()" is an empty group; put a step inside or remove the parentheses', STEP)
    }

    this.enter(token)
    const inner = this.sequence()
    this.close({kind: 'group', open: token})
    this.depth--
    return inner
  }

  /** Count one more level of parentheses (`open`), refusing more than MAX_NESTING. */
  private enter(open: Token): void {
    if (++this.depth > MAX_NESTING) throw this.error(open, `parentheses nest more than ${MAX_NESTING} levels deep; flatten the expression`, STEP)
  }

  /**
   * After a complete operand: consume the token that legitimately ends it in this context (")",
   * the "," between branches, or the end), or explain why the next token cannot follow it.
   */
  private close(context: Context): Token {
    const token = this.peek()
    const closes =
      context.kind === 'top' ? token.type === 'end' : token.type === 'rparen' || (context.kind === 'then' && token.type === 'comma')
    if (closes) {
      this.index++
      return token
    }

    const closer = {else: '")"', group: '")"', then: '"," or ")"', top: END}[context.kind]
    switch (token.type) {
      case 'name':
      case 'lparen': {
        const headline = `${quote(token.text)} at column ${token.start + 1}: two steps in a row need an operator between them (→, ⇄ or →?).`
        throw syntaxError(this.expression, token.start, headline, token.text, OPERATOR)
      }

      // The operand just parsed must be a conditional: `loop` and `conditional` consume these otherwise.
      case 'loop': {
        throw this.error(token, 'a conditional cannot be looped directly; wrap it in parentheses, as in "(A →? (B)) ⇄ C"', `"→" or ${closer}`)
      }

      case 'cond': {
        const hint = 'a conditional cannot directly follow another; wrap the first in parentheses, as in "(A →? (B)) →? (C)"'
        throw this.error(token, hint, `"→" or ${closer}`)
      }

      case 'comma': {
        const hint =
          context.kind === 'else'
            ? 'a conditional takes at most two branches: (then, else)'
            : 'a comma only separates the two branches of a conditional, as in "A →? (B, C)"'
        throw this.error(token, hint, `${OPERATOR} or ${closer}`)
      }

      case 'rparen': {
        throw this.error(token, 'there is no "(" for it to close', `${OPERATOR} or ${closer}`)
      }

      case 'end': {
        if (context.kind === 'top') break
        const opener = context.kind === 'group' ? 'the "("' : 'the branches opened'
        throw this.error(token, `expected ${closer} to close ${opener} at column ${context.open.start + 1}`, closer)
      }
    }

    throw new Error(`unreachable: ${quote(token.text)} after an operand`)
  }

  /** `token` stands where a step name (or a group) must be. */
  private expectedStep(token: Token) {
    const previous = this.tokens[this.index - 1]
    if (token.type === 'rparen' && this.depth === 0) return this.error(token, 'there is no "(" for it to close', STEP)
    if (!previous) return this.error(token, 'the expression must start with a step name', STEP)
    if (token.type === 'end') return this.error(token, `expected a step name after ${quote(previous.text)}`, STEP)
    if (previous.type === 'comma' && token.type === 'rparen') {
      return this.error(token, 'expected a step name for the else branch after ",", or remove the ","', STEP)
    }

    return this.error(token, 'expected a step name', STEP)
  }

  /** `Unexpected "X" at column N: <detail>.` with the caret under the token. */
  private error(token: Token, detail: string, expected: string) {
    const found = token.type === 'end' ? END : token.text
    const what = token.type === 'end' ? 'end of the expression' : quote(token.text)
    return syntaxError(this.expression, token.start, `Unexpected ${what} at column ${token.start + 1}: ${detail}.`, found, expected)
  }

  private accept(type: Token['type']): Token | undefined {
    const token = this.tokens[this.index]
    if (token.type !== type) return undefined
    this.index++
    return token
  }

  private peek(): Token {
    return this.tokens[this.index]
  }
}
