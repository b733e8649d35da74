import {Ajv} from 'ajv'
import {expect} from 'chai'
import {cpSync, existsSync, mkdirSync, readdirSync, readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {spawnSync} from 'node:child_process'
import {parse, parseAllDocuments} from 'yaml'
import {PodDisruptionBudget} from 'kubernetes-models/policy/v1/PodDisruptionBudget'
import {Deployment} from 'kubernetes-models/apps/v1/Deployment'
import {Secret} from 'kubernetes-models/v1/Secret'

import {runCli} from '../helpers/cli.js'
import {tempDir} from '../helpers/fs.js'
import {installProject} from '../helpers/install.js'
import {freePort} from '../helpers/ports.js'

const require = createRequire(import.meta.url)
// The Compose specification's JSON Schema, as dclint (a Compose linter) ships it.
const composeSchema = JSON.parse(readFileSync(join(dirname(require.resolve('dclint/package.json')), 'schemas/compose.schema.json'), 'utf8'))

/** Dockerfile instructions, continuation lines joined, comments dropped, grouped by stage name. */
function dockerStages(text: string): Map<string, string[][]> {
  const stages = new Map<string, string[][]>()
  let current: string[][] = []
  for (const line of text.replaceAll(/\\\n/g, ' ').split('\n')) {
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('#')) continue
    const [instruction, ...rest] = trimmed.split(/\s+/)
    if (instruction === 'FROM') {
      current = []
      stages.set(rest[2] ?? 'final', current)
    }

    current.push([instruction, rest.join(' ')])
  }

  return stages
}

/** The build context the way `docker build` sends it: top-level entries minus .dockerignore's patterns. */
function contextEntries(root: string): string[] {
  const rules = readFileSync(join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
  const matches = (pattern: string, name: string) => new RegExp(`^${pattern.replaceAll('.', '\\.').replaceAll('*', '[^/]*')}$`).test(name)
  return readdirSync(root).filter((name) => {
    let ignored = false
    for (const rule of rules) {
      if (rule.startsWith('!')) {
        if (matches(rule.slice(1), name)) ignored = false
      } else if (matches(rule, name)) ignored = true
    }

    return !ignored
  })
}

describe('deploy files written by restack new', function () {
  this.timeout(600_000)
  let dir: ReturnType<typeof tempDir>
  let root: string

  before(() => {
    dir = tempDir('restack-deploy-')
    const result = runCli(['new', '@acme/Support_Bot'.toLowerCase(), '--skip-install', '--skip-git'], {cwd: dir.path})
    expect(result.status, result.stderr).to.equal(0)
    root = join(dir.path, 'support_bot')
  })

  after(() => dir?.cleanup())

  it('writes a compose file that the Compose specification schema accepts, with PostgreSQL, Temporal, its UI and 3 replicas', () => {
    const compose = parse(readFileSync(join(root, 'deploy/compose.yaml'), 'utf8'))
    const validate = new Ajv({allErrors: true, strict: false, validateSchema: false}).compile(composeSchema)
    expect(validate(compose), JSON.stringify(validate.errors, null, 2)).to.equal(true)
    expect(compose.name).to.equal('support-bot')
    expect(Object.keys(compose.services)).to.include.members(['postgresql', 'temporal', 'temporal-ui', 'service'])
    expect(compose.services.service.deploy.replicas).to.equal(3)
    expect(compose.services.temporal.environment).to.include({DB: 'postgres12', POSTGRES_SEEDS: 'postgresql'})
    expect(existsSync(join(root, 'deploy', compose.services.service.build.context, compose.services.service.build.dockerfile))).to.equal(true)
    expect(compose.services.service.healthcheck.test.join(' ')).to.include('/readyz')
  })

  it('writes Kubernetes manifests that the Kubernetes API schemas accept: probes on the health endpoint, resource requests, env from the Secret', () => {
    const documents = readdirSync(join(root, 'deploy/kubernetes')).flatMap((file) =>
      parseAllDocuments(readFileSync(join(root, 'deploy/kubernetes', file), 'utf8')).map((document) => document.toJS()),
    )
    const models: Record<string, new (data: never) => {validate(): void}> = {
      'apps/v1 Deployment': Deployment,
      'policy/v1 PodDisruptionBudget': PodDisruptionBudget,
      'v1 Secret': Secret,
    }
    expect(documents.map((each) => `${each.apiVersion} ${each.kind}`).sort()).to.deep.equal(Object.keys(models).sort())
    for (const document of documents) new models[`${document.apiVersion} ${document.kind}`](document as never).validate() // throws on a schema error

    const deployment = documents.find((each) => each.kind === 'Deployment')
    const secret = documents.find((each) => each.kind === 'Secret')
    const [container] = deployment.spec.template.spec.containers
    expect(deployment.metadata.name).to.equal('support-bot')
    expect(container.readinessProbe.httpGet).to.deep.equal({path: '/readyz', port: 'health'})
    expect(container.livenessProbe.httpGet).to.deep.equal({path: '/livez', port: 'health'})
    expect(container.ports).to.deep.equal([{containerPort: 8080, name: 'health'}])
    expect(container.resources.requests).to.have.keys('cpu', 'memory')
    expect(container.envFrom).to.deep.equal([{secretRef: {name: secret.metadata.name}}])
    expect(deployment.spec.template.spec.securityContext.runAsNonRoot).to.equal(true)
    const env = Object.fromEntries(container.env.map((each: {name: string; value: string}) => [each.name, each.value]))
    expect(env).to.include({RESTACK_HEALTH_HOST: '0.0.0.0', RESTACK_HEALTH_PORT: '8080'})
  })

  it("runs the Dockerfile's build steps as plain commands, and the pruned image tree starts the service", async () => {
    await installProject(root) // writes package-lock.json, which the image's npm ci needs
    const stages = dockerStages(readFileSync(join(root, 'Dockerfile'), 'utf8'))
    expect([...stages.keys()]).to.deep.equal(['build', 'final'])
    const build = join(dir.path, 'image-build')
    const image = join(dir.path, 'image')
    mkdirSync(build)
    mkdirSync(image)
    const context = contextEntries(root)
    expect(context).to.include.members(['package.json', 'package-lock.json', 'src', '.env.example']).and.not.include.members(['node_modules', '.env', 'dist'])

    const env: Record<string, string> = {}
    for (const [instruction, argument] of stages.get('build')!) {
      if (instruction === 'COPY') {
        const parts = argument.split(' ')
        const sources = parts.slice(0, -1)
        for (const source of sources.flatMap((each) => (each === '.' ? context : [each]))) cpSync(join(root, source), join(build, source), {recursive: true})
      } else if (instruction === 'RUN') {
        const result = spawnSync('sh', ['-c', argument], {cwd: build, encoding: 'utf8', env: {...process.env, npm_config_prefer_offline: 'true'}})
        expect(result.status, `RUN ${argument}\n${result.stdout}\n${result.stderr}`).to.equal(0)
      }
    }

    for (const [instruction, argument] of stages.get('final')!) {
      if (instruction === 'ENV') for (const [, name, value] of argument.matchAll(/(\w+)=(\S+)/g)) env[name] = value
      if (instruction === 'COPY') {
        const match = /^--from=build --chown=\S+ \/app\/(\S+) \.\/(\S*)$/.exec(argument)
        expect(match, `COPY ${argument}`).to.not.equal(null)
        cpSync(join(build, match![1]), join(image, match![2] || match![1]), {recursive: true})
      }

      if (instruction === 'USER') expect(argument).to.equal('node')
      if (instruction === 'CMD') env.CMD = argument
    }

    expect(existsSync(join(image, 'dist/services.js'))).to.equal(true)
    expect(existsSync(join(image, 'node_modules/typescript')), 'dev dependencies pruned').to.equal(false)
    expect(existsSync(join(image, 'node_modules/@temporalio/worker'))).to.equal(true)
    expect(JSON.parse(env.CMD)).to.deep.equal(['node', 'dist/services.js'])
    // The image's command, with the image's environment, against an engine that is not there: it
    // loads every module from the pruned tree, then fails with the engine's address.
    const closed = await freePort()
    const {CMD: _, ...imageEnv} = env
    const started = spawnSync('node', ['dist/services.js'], {
      cwd: image,
      encoding: 'utf8',
      env: {PATH: process.env.PATH, ...imageEnv, RESTACK_ENGINE_ADDRESS: `127.0.0.1:${closed}`, RESTACK_HEALTH_PORT: String(await freePort())},
      timeout: 60_000,
    })
    expect(started.status, started.stdout + started.stderr).to.equal(1)
    expect(started.stderr).to.include(`cannot reach the Restack engine at 127.0.0.1:${closed}`)

    // A malformed setting stops the service before it connects, naming the variable and the fix.
    const bad = spawnSync('node', ['dist/services.js'], {cwd: image, encoding: 'utf8', env: {PATH: process.env.PATH, ...imageEnv, RESTACK_SHUTDOWN_GRACE_TIME: 'soon'}, timeout: 60_000})
    expect(bad.status).to.equal(1)
    expect(bad.stderr).to.include('RESTACK_SHUTDOWN_GRACE_TIME="soon" is not a duration; use milliseconds or a number with ms, s or m, e.g. "30s", or unset it.')
  })
})
