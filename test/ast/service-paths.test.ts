import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {detectServices} from '../../src/ast/service-paths.js'
import {REPO_ROOT} from '../helpers/cli.js'

describe('ast/service-paths', () => {
  it('reads each startService of an agent-todo shaped services.ts: queue as written, folders through consts, functions', () => {
    const source = readFileSync(join(REPO_ROOT, 'test/fixtures/adopt/todo/src/services.ts'), 'utf8')
    expect(detectServices(source)).to.deep.equal([
      {agentsPath: 'src/agents', functions: ['createTodo']},
      {functions: ['getRandom', 'getResult'], taskQueue: 'todo-workflows', workflowsPath: 'src/workflows'},
    ])
  })

  it('understands strings, path.resolve(__dirname, ...), shorthand properties and index files', () => {
    const source = [
      'import path from "node:path";',
      'const workflowsPath = path.resolve(__dirname, "./flows/index.ts");',
      'await Promise.all([',
      '  client.startService({ agentsPath: "./agents", functions: {} }),',
      '  client.startService({ workflowsPath, taskQueue: `nightly` }),',
      '  client.startService({ agentsPath: computeIt(), functions: { a } }),',
      ']);',
    ].join('\n')
    expect(detectServices(source)).to.deep.equal([
      {agentsPath: 'src/agents', functions: []},
      {functions: [], taskQueue: 'nightly', workflowsPath: 'src/flows'},
      {functions: ['a']},
    ])
  })
})
