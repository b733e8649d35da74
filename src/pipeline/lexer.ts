import {quote, UserError} from '../errors.js'

/**
 * The tokens of a pipeline expression (DESIGN §6). `start`/`end` are 0-based offsets into the
 * expression, `end` exclusive; the `end` token sits at the expression's length and has empty text.
 */
export interface Token {
  end: number
  start: number
  text: string
  type: 'comma' | 'cond' | 'end' | 'loop' | 'lparen' | 'name' | 'rparen' | 'seq'
}

export const EXAMPLE = 'A → B ⇄ C → D'
export const END = 'the end of the expression'
const FIX = `Fix the expression, e.g. ${quote(EXAMPLE)}; see docs/pipelines.md.`

/**
 * A malformed pipeline expression. The message is one paragraph: what is wrong and where, the
 * expression with a caret under the offending column, and how to fix it.
 */
export class PipelineSyntaxError extends UserError {
  constructor(
    message: string,
    /** 1-based column (in characters) of the offending token; just past the last character for end-of-input */
    readonly column: number,
    /** the offending text as written, or "the end of the expression" */
    readonly found: string,
    /** what would have been valid there, e.g. `a step name` or `")"` */
    readonly expected: string,
  ) {
    super(message)
  }
}

/** An error pointing at `offset`: the headline, the expression with a caret under that column, and the fix. */
export function syntaxError(expression: string, offset: number, headline: string, found: string, expected: string): PipelineSyntaxError {
  // Other whitespace (tabs, newlines) is shown as a space to keep the caret under its column. Every
  // character before an error is ASCII, "→", "⇄" or whitespace, so UTF-16 offsets are columns there.
  const shown = expression.replaceAll(/\s/g, ' ')
  const message = `${headline}\n  ${shown}\n  ${' '.repeat(offset)}^\n${FIX}`
  return new PipelineSyntaxError(message, offset + 1, found, expected)
}

/** There is nothing to point at in an empty expression: the message is the headline and the fix. */
export function emptyExpressionError(expression: string): PipelineSyntaxError {
  return new PipelineSyntaxError(`The pipeline expression is empty: write step names joined by operators. ${FIX}`, expression.length + 1, END, 'a step name')
}

const OPERATORS = '→ (or ->), ⇄ (or <->) and →? (or ->?)'

// A "-" inside a name never starts "->": `a->b` is a, ->, b, while `send-email` is one name.
const NAME = /[A-Za-z_](?:[A-Za-z0-9_]|-(?!>))*/y
const DIGIT_LEADING_NAME = /[0-9](?:[A-Za-z0-9_]|-(?!>))*/y

// Longest first, so "->?" wins over "->" and "→?" over "→".
const LEXEMES: Array<[string, Token['type']]> = [
  ['->?', 'cond'], ['<->', 'loop'], ['->', 'seq'], ['→?', 'cond'], ['→', 'seq'], ['⇄', 'loop'],
  ['(', 'lparen'], [')', 'rparen'], [',', 'comma'],
]

/** Split an expression into tokens, ending with an `end` token. Throws PipelineSyntaxError on a character outside the grammar. */
export function tokenize(expression: string): Token[] {
  const tokens: Token[] = []
  let offset = 0
  while (offset < expression.length) {
    if (/\s/.test(expression[offset])) {
      offset++
      continue
    }

    const lexeme = LEXEMES.find(([text]) => expression.startsWith(text, offset))
    NAME.lastIndex = offset
    const name = lexeme ? null : NAME.exec(expression)
    if (!lexeme && !name) throw badCharacter(expression, offset, tokens.at(-1))
    const [text, type]: [string, Token['type']] = lexeme ?? [name![0], 'name']
    tokens.push({end: offset + text.length, start: offset, text, type})
    offset += text.length
  }

  tokens.push({end: expression.length, start: expression.length, text: '', type: 'end'})
  return tokens
}

function badCharacter(expression: string, offset: number, previous: Token | undefined): PipelineSyntaxError {
  const fail = (headline: string, found: string, expected: string) => syntaxError(expression, offset, headline, found, expected)
  const column = offset + 1
  const char = String.fromCodePoint(expression.codePointAt(offset)!)

  if (/\d/.test(char)) {
    DIGIT_LEADING_NAME.lastIndex = offset
    const text = DIGIT_LEADING_NAME.exec(expression)![0]
    return fail(`${quote(text)} at column ${column} is not a valid step name: a name must start with a letter or "_".`, text, 'a step name')
  }

  // `→?` is one token, so a "?" after a "→" means there was whitespace between them.
  if (char === '?' && previous?.type === 'seq') {
    const operator = `${previous.text}?`
    return fail(
      `"?" at column ${column} is not allowed on its own: write the conditional operator as ${quote(operator)}, with no space between ${quote(previous.text)} and "?".`,
      char,
      quote(operator),
    )
  }

  const hints: Record<string, string> = {
    '-': 'a "-" can only appear inside a step name; the sequence operator is "→" or "->"',
    '<': 'the loop operator is "⇄" or "<->"',
    '>': 'the sequence operator is "→" or "->"',
    '?': 'the conditional operator is "→?" or "->?", as in "A →? (B, C)"',
  }
  const expected = 'a step name, an operator, "(", ")" or ","'
  if (Object.hasOwn(hints, char)) return fail(`${quote(char)} at column ${column} is not allowed here: ${hints[char]}.`, char, expected)
  if (/[\p{L}\p{N}]/u.test(char)) {
    return fail(`${quote(char)} at column ${column} is not allowed in a pipeline expression: step names use only ASCII letters, digits, "_" and "-".`, char, expected)
  }

  return fail(
    `${quote(char)} at column ${column} is not allowed in a pipeline expression: use step names (letters, digits, "_" and "-") joined by ${OPERATORS}, with parentheses for groups and branches.`,
    char,
    expected,
  )
}
