import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {detectServices, unresolvedServiceValues} from '../../src/ast/service-paths.js'
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

  it('evaluates the path forms projects write, whatever argument comes last: join/resolve from __dirname or the root, require.resolve with options, templates, +, URLs', () => {
    const forms: Array<[string, string]> = [
      ['require.resolve("./agents")', 'src/agents'],
      ['require.resolve("./agents", { paths: [__dirname] })', 'src/agents'],
      ['require.resolve("./src/agents", { paths: [process.cwd()] })', 'src/agents'],
      ['require.resolve("./agents", { paths: [path.join(__dirname)] })', 'src/agents'],
      ['require.resolve(`./agents/index.ts`)', 'src/agents'],
      ['path.join(__dirname, "agents")', 'src/agents'],
      ['path.join(__dirname, "agents", "index")', 'src/agents'],
      ['path.join(__dirname, "agents", "index.ts")', 'src/agents'],
      ['join(__dirname, "./agents/")', 'src/agents'],
      ['path.resolve(__dirname, "agents")', 'src/agents'],
      ['path.posix.join(__dirname, "nested", "..", "agents")', 'src/agents'],
      ['path.resolve("src/agents")', 'src/agents'],
      ['path.join(process.cwd(), "src", "agents")', 'src/agents'],
      ['resolve(process.cwd(), "src/agents", "index.ts")', 'src/agents'],
      ['`${__dirname}/agents`', 'src/agents'],
      ['__dirname + "/agents"', 'src/agents'],
      ['fileURLToPath(new URL("./agents", import.meta.url))', 'src/agents'],
      ['require.resolve("./agents") as string', 'src/agents'],
      ['AGENTS', 'src/agents'],
    ]
    for (const [form, folder] of forms) {
      const source = `const AGENTS = path.join(__dirname, "agents");\nclient.startService({ agentsPath: ${form}, functions: {} });\n`
      expect(detectServices(source), form).to.deep.equal([{agentsPath: folder, functions: []}])
      expect(unresolvedServiceValues(source), form).to.deep.equal([])
    }
  })

  it('reports the values it cannot tell (computed at run time, outside the project, a queue from the environment) instead of guessing', () => {
    const source = [
      'client.startService({ agentsPath: computeIt(), functions: {} });',
      'client.startService({ workflowsPath: path.join(__dirname, "..", "..", "elsewhere"), taskQueue: process.env.QUEUE ?? "q" });',
      'client.startService({ agentsPath: require.resolve("agents-package"), workflowsPath: path.join(base, "flows") });',
      'client.startService({ agentsPath: "/abs/agents" });',
    ].join('\n')
    expect(unresolvedServiceValues(source)).to.deep.equal([
      {key: 'agentsPath', line: 1, text: 'computeIt()'},
      {key: 'workflowsPath', line: 2, text: 'path.join(__dirname, "..", "..", "elsewhere")'},
      {key: 'taskQueue', line: 2, text: 'process.env.QUEUE ?? "q"'},
      {key: 'agentsPath', line: 3, text: 'require.resolve("agents-package")'},
      {key: 'workflowsPath', line: 3, text: 'path.join(base, "flows")'},
      {key: 'agentsPath', line: 4, text: '"/abs/agents"'},
    ])
  })

  // attack-4: these gave "src/agents", where Node finds /etc/agents, a folder of the root, or src/srcagents
  it('never reads options.paths as services.ts\'s folder, nor a path glued to a name as a subfolder', () => {
    const forms: Array<[string, string | undefined]> = [
      ['require.resolve("./agents", { paths: ["/etc"] })', undefined],
      ['require.resolve("./agents", { paths: [process.cwd()] })', 'agents'],
      ['require.resolve("./agents", { paths: [__dirname, "/etc"] })', undefined],
      ['require.resolve("./agents", OPTIONS)', undefined],
      ['__dirname + "agents"', undefined],
      ['`${__dirname}agents`', undefined],
    ]
    for (const [form, folder] of forms) {
      const source = `const OPTIONS = { paths: ["/etc"] };\nclient.startService({ agentsPath: ${form}, functions: {} });\n`
      if (folder === undefined) expect(unresolvedServiceValues(source), form).to.deep.equal([{key: 'agentsPath', line: 2, text: form}])
      else expect(detectServices(source), form).to.deep.equal([{agentsPath: folder, functions: []}])
    }
  })
})
