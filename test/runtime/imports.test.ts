import {expect} from 'chai'

import {rewriteImports} from '../../src/runtime/imports.js'

const AGENT = [
  '// an agent: the comment, quotes and layout around the imports stay',
  'import { allHandlersFinished } from "@temporalio/workflow";',
  "import {condition, step} from '../restack/agent'; // trailing",
  'import type * as functions from "../functions";',
  'export { defineMemory } from "../restack/memory";',
  'type Info = import("../restack/function").FunctionFailure;',
  'const later = () => import("../restack/workflow");',
  'const text = "../restack/agent"; // a string, not an import',
  '',
].join('\n')

describe('runtime/imports', () => {
  it('maps each import of the bundled runtime to @restackio/ai, changing only the text between the quotes', () => {
    const {changes, text} = rewriteImports(AGENT, 'src/agents/support.ts', 'restackio')
    expect(text).to.equal(
      AGENT.replace("'../restack/agent'", "'@restackio/ai/agent'")
        .replace('"../restack/memory"', '"@restackio/ai/memory"')
        .replace('import("../restack/function")', 'import("@restackio/ai/function")')
        .replace('import("../restack/workflow")', 'import("@restackio/ai/workflow")'),
    )
    expect(changes.map((change) => change.line)).to.deep.equal([3, 5, 6, 7])
  })

  it('maps back to the exact bytes', () => {
    const there = rewriteImports(AGENT, 'src/agents/support.ts', 'restackio').text
    expect(rewriteImports(there, 'src/agents/support.ts', 'bundled').text).to.equal(AGENT)
  })

  it('writes the relative path from where the file is: the client, a script, a test', () => {
    expect(rewriteImports('import Restack from "./restack";\n', 'src/client.ts', 'restackio').text).to.equal('import Restack from "@restackio/ai";\n')
    expect(rewriteImports('import Restack from "@restackio/ai";\n', 'test/helpers/temporal.ts', 'bundled').text).to.equal('import Restack from "../../src/restack";\n')
    expect(rewriteImports('import { log } from "@restackio/ai/function";\n', 'scripts/x.ts', 'bundled').text).to.equal('import { log } from "../src/restack/function";\n')
  })

  it('leaves the runtime internals and unknown entry points alone, and reports them', () => {
    const source = 'import { withEngineId } from "../restack/names";\nimport { x } from "../restack/agent.js";\nimport { y } from "@restackio/ai/nothing";\n'
    const there = rewriteImports(source, 'src/agents/a.ts', 'restackio')
    expect(there.text).to.equal(source)
    expect(there.unmapped.map((each) => each.from)).to.deep.equal(['../restack/names', '../restack/agent.js'])
    expect(rewriteImports(source, 'src/agents/a.ts', 'bundled').unmapped.map((each) => each.from)).to.deep.equal(['@restackio/ai/nothing'])
  })

  it('does not touch modules that only look like the runtime', () => {
    const source = 'import { a } from "./restack-utils";\nimport { b } from "../../restack/agent";\nimport { c } from "restack/agent";\n'
    expect(rewriteImports(source, 'src/agents/a.ts', 'restackio').text).to.equal(source)
  })
})
