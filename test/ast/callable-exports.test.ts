import {expect} from 'chai'

import {exportsCallable} from '../../src/ast/callable-exports.js'

describe('ast/callable-exports', () => {
  it('tells a module of zod schemas and types from a module of functions', () => {
    const schemas = 'import { z } from "zod";\nexport const TodoSchema = z.object({ title: z.string() });\nexport type Todo = z.infer<typeof TodoSchema>;\nexport interface X { a: 1 }\n'
    expect(exportsCallable(schemas, 'types.ts')).to.equal(false)
    expect(exportsCallable('export type { A } from "./a";\n', 'a.ts')).to.equal(false)
    for (const source of [
      'export const send = async () => 1;\n',
      'export async function send() {}\n',
      'export const send = (function () {}) as () => void;\n',
      'const send = () => 1;\nexport { send };\n',
      'export * from "./other";\n',
      'this does not parse',
    ]) {
      expect(exportsCallable(source, 'f.ts'), source).to.equal(true)
    }
  })
})

describe('ast/callable-exports fast path', () => {
  it('answers for the usual shapes without a parse, and never for a module of schemas', () => {
    expect(exportsCallable('export async function send() {}\nthis would not parse', 'f.ts')).to.equal(true)
    expect(exportsCallable('export const send = async ({ text }: Input): Promise<Output> => {\n  return x;\n};\n', 'f.ts')).to.equal(true)
    expect(exportsCallable('export const S = z.string().refine((x) => x.length > 0);\n', 'types.ts')).to.equal(false)
  })
})
