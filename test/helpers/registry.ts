import {ChildProcess, execFileSync, spawn} from 'node:child_process'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {REPO_ROOT} from './cli.js'
import {freePort, waitForPort} from './ports.js'

export interface LocalRegistry {
  /** an npmrc that can publish to it */
  npmrc: string
  stop(): Promise<void>
  url: string
}

/**
 * Starts verdaccio on 127.0.0.1 with its storage in `dir`. Its only uplink is the registry this
 * machine's npm is configured with (for the plugins' own dependencies). A user is created and its
 * token written to an npmrc for publishing.
 */
export async function startRegistry(dir: string): Promise<LocalRegistry> {
  const port = await freePort()
  const uplink = execFileSync('npm', ['config', 'get', 'registry'], {encoding: 'utf8'}).trim()
  mkdirSync(join(dir, 'storage'), {recursive: true})
  const config = join(dir, 'config.yaml')
  writeFileSync(
    config,
    [
      `storage: ${join(dir, 'storage')}`,
      `auth: {htpasswd: {file: ${join(dir, 'htpasswd')}, max_users: 10}}`,
      `uplinks: {upstream: {url: ${JSON.stringify(uplink)}}}`,
      'packages:',
      "  '@restack/*': {access: $all, publish: $authenticated}",
      "  'restack-fixture-plugin': {access: $all, publish: $authenticated}",
      "  '**': {access: $all, proxy: upstream}",
      'log: {type: stdout, format: pretty, level: error}',
    ].join('\n') + '\n',
  )
  const server: ChildProcess = spawn(process.execPath, [join(REPO_ROOT, 'node_modules/verdaccio/bin/verdaccio'), '--config', config, '--listen', `127.0.0.1:${port}`], {
    stdio: 'ignore',
  })
  const url = `http://127.0.0.1:${port}/`
  await waitForPort(port, 30_000)
  const response = await fetch(`${url}-/user/org.couchdb.user:tester`, {
    body: JSON.stringify({name: 'tester', password: 'a-test-password-1'}),
    headers: {'content-type': 'application/json'},
    method: 'PUT',
  })
  const {token} = (await response.json()) as {token: string}
  const npmrc = join(dir, 'npmrc')
  writeFileSync(npmrc, `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`)
  return {
    npmrc,
    async stop() {
      if (server.exitCode !== null) return
      const exited = new Promise((resolve) => {
        server.once('exit', resolve)
      })
      server.kill('SIGTERM')
      await exited
    },
    url,
  }
}
