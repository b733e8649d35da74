import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {ensureUnitService, removeUnitService, unitServiceOwner} from '../../src/ast/unit-services.js'
import {REPO_ROOT} from '../helpers/cli.js'

const fixture = (name: string): string => readFileSync(join(REPO_ROOT, `test/fixtures/adopt/${name}/src/services.ts`), 'utf8')

describe('ast/unit-services', () => {
  it('uses the service of the user that runs the folder on the queue, adding nothing', () => {
    const source = fixture('todo')
    expect(unitServiceOwner(source, 'workflow', 'todo-workflows', 'restack')).to.equal('user')
    expect(ensureUnitService(source, 'workflow', 'todo-workflows', 'restack')).to.equal(source)
    expect(removeUnitService(source, 'workflow', 'todo-workflows', 'restack')).to.equal(source) // never removes the user's
  })

  it('adds a service that runs the folder on a new queue in the file\'s style, and removing it gives back every byte', () => {
    const source = fixture('chat')
    expect(unitServiceOwner(source, 'workflow', 'digests', 'restack')).to.equal('none')
    const added = ensureUnitService(source, 'workflow', 'digests', 'restack')
    expect(added).to.include('      client.startService({\n        workflowsPath: require.resolve("./workflows"),\n        taskQueue: "digests",\n      }),\n')
    expect(unitServiceOwner(added, 'workflow', 'digests', 'restack')).to.equal('generated')
    expect(ensureUnitService(added, 'workflow', 'digests', 'restack')).to.equal(added)
    expect(removeUnitService(added, 'workflow', 'digests', 'restack')).to.equal(source)
  })

  it('leaves the queue out on the default "restack" queue, and keeps CRLF line endings', () => {
    const source = fixture('chat').replaceAll('\n', '\r\n')
    const added = ensureUnitService(source, 'agent', 'restack', 'restack')
    expect(added).to.equal(source) // the agents service has no queue: it runs on "restack" already
    const workflows = ensureUnitService(source, 'workflow', 'restack', 'restack')
    expect(workflows).to.include('client.startService({\r\n        workflowsPath: require.resolve("./workflows"),\r\n      }),')
    expect(workflows.replaceAll('\r\n', '')).not.to.include('\n')
    expect(removeUnitService(workflows, 'workflow', 'restack', 'restack')).to.equal(source)
  })

  it('says what to add by hand when there is no Promise.all to add a service to', () => {
    expect(() => ensureUnitService('await client.startService({ agentsPath: require.resolve("./agents") });\n', 'workflow', 'q', 'restack')).to.throw(
      /no startService that runs src\/workflows on task queue "q".*client\.startService\(\{ workflowsPath: require\.resolve\("\.\/workflows"\), taskQueue: "q" \}\)/,
    )
  })
})
