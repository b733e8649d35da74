import {expect} from 'chai'

import {functionQueues, registerFunction, unregisterFunction} from '../../src/ast/services.js'
import {UserError} from '../../src/errors.js'
import {HAND_FORMATTED_SERVICES as HAND_FORMATTED} from '../fixtures/services.js'

const GENERATED = `import { client } from "./client";
import { greet } from "./functions";

async function services() {
  await Promise.all([
    client.startService({
      agentsPath: require.resolve("./agents"),
      workflowsPath: require.resolve("./workflows"),
      functions: { greet },
      taskQueue: "restack",
    }),
  ]);
}
`


const NO_TRAILING = `import { client } from "./client";
import {
  greet
} from "./functions";

export const run = () =>
  Promise.all([
    client.startService({
      functions: {
        greet // last, no comma
      },
      taskQueue: "restack"
    })
  ]);
`

const register = (source: string, name: string, extra: {maxConcurrent?: number; rateLimit?: number; taskQueue?: string} = {}) =>
  registerFunction(source, {defaultQueue: 'restack', name, ...extra})
const unregister = (source: string, name: string) => unregisterFunction(source, name, 'restack')

/** Lines of `after` that are not in `before`: what an edit added. */
const addedLines = (before: string, after: string): string[] => {
  const old = before.split('\n')
  return after.split('\n').filter((line) => !old.includes(line))
}

describe('ast/services', () => {
  for (const [label, source] of Object.entries({'generated': GENERATED, 'hand-formatted': HAND_FORMATTED, 'no trailing commas': NO_TRAILING})) {
    describe(`a ${label} services.ts`, () => {
      it('registers a function with only registration lines changed, and is idempotent', () => {
        const once = register(source, 'sendEmail')
        expect(register(once, 'sendEmail')).to.equal(once)
        expect(functionQueues(once, 'restack').get('sendEmail')).to.equal('restack')
        for (const line of addedLines(source, once)) expect(line).to.match(/sendEmail|greet/)
        // every original line survives (a comma may join the line that had none)
        const kept = source.split('\n').filter((line) => !once.split('\n').includes(line))
        for (const line of kept) expect(line).to.match(/greet/)
      })

      it('puts a function with its own queue in a new service with its limits', () => {
        const next = register(source, 'charge', {maxConcurrent: 2, rateLimit: 10, taskQueue: 'payments'})
        expect(functionQueues(next, 'restack').get('charge')).to.equal('payments')
        expect(next).to.match(/taskQueue: ["']payments["'],\s*functions: \{ charge \},\s*options: \{ rateLimit: 10, maxConcurrentFunctionRuns: 2 \}/)
        expect(register(next, 'refund', {taskQueue: 'payments'})).to.match(/functions: \{ charge, refund \}/)
      })

      it('returns to the exact bytes after any interleaving of register and unregister', () => {
        const a = register(source, 'sendEmail')
        const ab = register(a, 'charge', {rateLimit: 5, taskQueue: 'payments'})
        const abc = register(ab, 'refund', {taskQueue: 'payments'})
        const abcd = register(abc, 'notify')
        const b = register(register(source, 'charge', {rateLimit: 5, taskQueue: 'payments'}), 'refund', {taskQueue: 'payments'})
        expect(unregister(unregister(abcd, 'sendEmail'), 'notify')).to.equal(b)
        expect(unregister(unregister(unregister(unregister(abcd, 'charge'), 'notify'), 'sendEmail'), 'refund')).to.equal(source)
        expect(unregister(unregister(unregister(unregister(abcd, 'refund'), 'sendEmail'), 'charge'), 'notify')).to.equal(source)
        expect(unregister(source, 'nothing')).to.equal(source)
      })
    })
  }

  it('keeps the user formatting of the hand-formatted file', () => {
    const next = register(HAND_FORMATTED, 'sendEmail')
    expect(next).to.include("import {client} from './client'\nimport {\n    greet,   // says hello\n    sendEmail,\n} from './functions'")
    expect(next).to.include('              greet,   // the greeter\n              sendEmail,\n\n\n          },')
    expect(next).to.include("        workflowsPath: require.resolve('./workflows'),   // odd indent")
  })

  it('adds the functions import when there is none', () => {
    const source = GENERATED.replace('import { greet } from "./functions";\n', '').replace('functions: { greet }', 'functions: {}')
    const next = register(source, 'sendEmail')
    expect(next).to.include('import { client } from "./client";\nimport { sendEmail } from "./functions";\n')
    expect(next).to.include('functions: { sendEmail }')
    expect(unregister(next, 'sendEmail')).to.equal(source)
  })

  it('refuses a name registered on another queue', () => {
    const next = register(GENERATED, 'charge', {taskQueue: 'payments'})
    expect(() => register(next, 'charge')).to.throw(UserError, /"charge" is already registered in src\/services\.ts on task queue "payments"/)
  })

  it('prints the line to add by hand when there is no anchor', () => {
    const source = 'export const nothing = 1;\n'
    expect(() => register(source, 'sendEmail')).to.throw(UserError, /no startService call.*Add it by hand: functions: \{ sendEmail \},/)
  })

  it('names the file and position of a syntax error', () => {
    expect(() => register('const = ;\n', 'x')).to.throw(UserError, /"src\/services\.ts" does not parse at line 1, column 7/)
  })
})
