import {quote, UserError} from '../errors.js'

/** One name in every case the generated code needs, derived by a single rule set. */
export interface Names {
  /** the words, lower-case: "blog post" -> ["blog", "post"] */
  words: string[]
  camel: string
  pascal: string
  kebab: string
  snake: string
}

// ECMAScript reserved words, strict-mode reserved words, and literals that cannot be identifiers.
const RESERVED = new Set([
  'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete',
  'do', 'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'implements',
  'import', 'in', 'instanceof', 'interface', 'let', 'new', 'null', 'package', 'private', 'protected',
  'public', 'return', 'static', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var',
  'void', 'while', 'with', 'yield', 'arguments', 'eval', 'undefined', 'NaN', 'Infinity',
])

const capitalize = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1)

/** Split any input style (`blog post`, `blog_post`, `BlogPost`, `blogPost`, `blog-post`) into words. */
export function splitWords(input: string): string[] {
  return input
    .replaceAll(/([a-z\d])([A-Z])/g, '$1 $2')
    .replaceAll(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase())
}

/**
 * The "Try ..." of an error: `input` as a valid PascalCase name, the leading number moved to the end
 * ("9lives9" -> "Lives99", "1st step" -> "Step1"), or `fallback` when nothing valid is left.
 */
function suggestName(input: string, fallback: string): string {
  const words = splitWords(input)
  const lead = /^(\d+)(?:st|nd|rd|th)?(.*)$/.exec(words[0] ?? '')
  const number = lead ? lead[1] : ''
  const rest = lead ? [lead[2], ...words.slice(1)] : words
  const letters = rest.filter(Boolean).map(capitalize)
  if (letters.length === 0 || !/^[A-Za-z]/.test(letters[0])) return fallback
  const candidate = letters.join('') + number
  return RESERVED.has(candidate.charAt(0).toLowerCase() + candidate.slice(1)) ? fallback : ` Try ${quote(candidate)}.`
}

/**
 * Turn user input into the names of an entity. `what` names the thing in errors ("function name").
 * Throws a UserError for empty input, characters outside letters, digits, spaces, `-` and `_`,
 * a leading digit, and reserved words.
 */
export function toNames(input: string, what = 'name'): Names {
  const trimmed = input.trim()
  if (trimmed === '') {
    throw new UserError(`The ${what} is empty: give a name such as "SendEmail" or "send email".`)
  }

  // Words are separated by spaces, "-" or "_": a newline or tab inside a name is a paste gone wrong.
  const bad = trimmed.match(/[^A-Za-z\d _-]/)
  if (bad) {
    const hint = suggestName(trimmed.normalize('NFKD').replaceAll(/\p{M}/gu, '').replaceAll(/[^A-Za-z\d _-]/g, ' '), '')
    throw new UserError(
      `${quote(input)} is not a valid ${what}: ${quote(bad[0])} is not allowed; use letters, digits, spaces, "-" or "_".${hint}`,
    )
  }

  const words = splitWords(trimmed)
  if (/^\d/.test(words[0])) {
    throw new UserError(`${quote(input)} is not a valid ${what}: a name must start with a letter.${suggestName(trimmed, ' Try "Step1".')}`)
  }

  const pascal = words.map(capitalize).join('')
  const names: Names = {
    camel: pascal.charAt(0).toLowerCase() + pascal.slice(1),
    kebab: words.join('-'),
    pascal,
    snake: words.join('_'),
    words,
  }
  if (RESERVED.has(names.camel)) {
    throw new UserError(
      `${quote(input)} is not a valid ${what}: "${names.camel}" is a reserved word in JavaScript. Try a more specific name such as ${quote(`${pascal}Item`)}.`,
    )
  }

  return names
}
