import {expect} from 'chai'
import {ChildProcess, spawn} from 'node:child_process'
import {join} from 'node:path'

import {errorText, isOneParagraph, runCli} from '../helpers/cli.js'
import {tempDir} from '../helpers/fs.js'
import {installProject} from '../helpers/install.js'
import {freePort, waitForPort} from '../helpers/ports.js'
import {devServerArgs, temporalCliPath} from '../helpers/temporal.js'

describe('an engine without the engineId search attribute', function () {
  this.timeout(600_000)
  const temporal = temporalCliPath()
  let dir: ReturnType<typeof tempDir> | undefined
  const servers: ChildProcess[] = []
  const root = (): string => join(dir!.path, 'demo')

  /** A dev server on free 127.0.0.1 ports, with or without the attribute; returns its address. */
  const startServer = async (withAttribute: boolean): Promise<string> => {
    const [port, uiPort] = [await freePort(), await freePort()]
    const args = devServerArgs(port, uiPort)
    const server = spawn(temporal!, withAttribute ? args : args.slice(0, args.indexOf('--search-attribute')), {stdio: 'ignore'})
    servers.push(server)
    await waitForPort(port, 30_000)
    return `127.0.0.1:${port}`
  }

  before(async function () {
    if (!temporal) this.skip()
    dir = tempDir('restack-sa-')
    expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path}).status).to.equal(0)
    await installProject(root())
  })
  after(async () => {
    await Promise.all(
      servers.map(
        (server) =>
          new Promise((resolve) => {
            server.once('exit', resolve)
            server.kill('SIGTERM')
          }),
      ),
    )
    dir?.cleanup()
  })

  it('restack run:server refuses to start, explaining in one paragraph how to add it', async () => {
    const address = await startServer(false)
    const result = runCli(['run:server'], {cwd: root(), env: {RESTACK_ENGINE_ADDRESS: address}})
    expect(result.status).to.equal(1)
    expect(isOneParagraph(result.stderr)).to.equal(true)
    const text = errorText(result.stderr)
    expect(text).to.include(`The engine at ${address} has no "engineId" search attribute`)
    expect(text).to.include(`temporal operator search-attribute create --name engineId --type Text --address ${address}`)
    expect(text).to.include('temporal server start-dev --search-attribute engineId=Text')

    const doctor = runCli(['doctor', '--json'], {cwd: root(), env: {RESTACK_DOCTOR_TYPECHECK: '0', RESTACK_ENGINE_ADDRESS: address}})
    expect(doctor.status).to.equal(1)
    const finding = JSON.parse(doctor.stdout).findings.find((each: {code: string}) => each.code === 'engine/no-engine-id-search-attribute')
    expect(finding, doctor.stdout).to.include({severity: 'error'})
    expect(finding.fix).to.match(/^Add it once with "temporal operator search-attribute create --name engineId --type Text/)
  })

  it('doctor has nothing to say about it when the engine has it', async () => {
    const address = await startServer(true)
    const doctor = runCli(['doctor', '--json'], {cwd: root(), env: {RESTACK_DOCTOR_TYPECHECK: '0', RESTACK_ENGINE_ADDRESS: address}})
    const codes = JSON.parse(doctor.stdout).findings.map((each: {code: string}) => each.code)
    expect(codes).not.to.include('engine/no-engine-id-search-attribute')
    expect(JSON.parse(doctor.stdout).rules).to.include('search-attribute')
  })
})
