import {expect} from 'chai'

import {addStartTools, removeStartTools} from '../src/services-edit.js'
import {addServer, entryText, putServer, removeServer, serverNames, TOOLS_YAML_HEADER} from '../src/tools-yaml.js'

describe('config/tools.yaml edits', () => {
  const calc = {name: 'calc', transport: 'stdio' as const}
  const web = {name: 'web', port: 8931, transport: 'http' as const}

  it('appends a server after the last one, keeping comments and layout byte for byte', () => {
    const text = `# my tools\nservers:    # keep me\n  # about calc\n${entryText(calc).trimEnd()}   # trailing note\n`
    const next = addServer(text, web)
    expect(next.startsWith(text)).to.equal(true)
    expect(next.slice(text.length)).to.equal(entryText(web))
    expect(serverNames(next)).to.deep.equal(['calc', 'web'])
  })

  it('follows the indentation the file uses', () => {
    const text = `servers:\n    calc:\n        transport: stdio\n        command: node\n`
    expect(addServer(text, web)).to.include('\n    web:\n        transport: http\n')
  })

  it('is a no-op for a server that is there, and removeServer is its exact inverse', () => {
    const once = addServer(TOOLS_YAML_HEADER, calc)
    expect(addServer(once, calc)).to.equal(once)
    const twice = addServer(once, web)
    expect(removeServer(twice, 'web')).to.equal(once)
    expect(removeServer(once, 'calc')).to.equal(TOOLS_YAML_HEADER)
    expect(removeServer(once, 'nope')).to.equal(once)
  })

  it('putServer writes a server\'s entry in place of the one there (unchanged when it is the same), or appends it', () => {
    const text = `# my tools\nservers:    # keep me\n${entryText(calc)}  # about web\n${entryText(web)}`
    expect(putServer(text, calc)).to.equal(text)
    const http = {name: 'calc', port: 9000, transport: 'http' as const}
    expect(putServer(text, http)).to.equal(`# my tools\nservers:    # keep me\n${entryText(http)}  # about web\n${entryText(web)}`)
    expect(putServer(putServer(text, http), calc)).to.equal(text)
    expect(putServer(`servers:\n    calc:\n        transport: stdio\n`, http)).to.equal(`servers:\n${entryText(http, '    ')}`)
    expect(putServer(TOOLS_YAML_HEADER, web)).to.equal(addServer(TOOLS_YAML_HEADER, web))
  })

  it('adds "servers:" to a file without it', () => {
    expect(addServer('# only a comment\n', calc)).to.equal(`# only a comment\nservers:\n${entryText(calc)}`)
  })
})

describe('services.ts: starting the tool manager', () => {
  const services = `import { client } from "./client";\nimport { greet } from "./functions";\n\nasync function services() {\n  // keep this comment\n  await Promise.all([]);\n}\n`

  it('adds the import and "await startTools();" once, and removes them exactly', () => {
    const added = addStartTools(services)
    expect(added).to.include('import { greet } from "./functions";\nimport { startTools } from "./tools/client";\n')
    expect(added).to.match(/async function services\(\) \{\n {2}\/\/ start the MCP tool servers[^\n]*\n {2}await startTools\(\);\n {2}\/\/ keep this comment/)
    expect(addStartTools(added)).to.equal(added)
    expect(removeStartTools(added)).to.equal(services)
  })

  it('fails, showing the lines to add, when there is no services() function', () => {
    expect(() => addStartTools('export const x = 1;\n')).to.throw(/Add these lines by hand: "import \{ startTools \} from \\?"\.\/tools\/client\\?";" .*"await startTools\(\);"/)
  })
})
