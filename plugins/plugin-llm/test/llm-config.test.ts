import {expect} from 'chai'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {spawn} from 'node:child_process'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {errorText, isOneParagraph, run, runCli} from '../../../test/helpers/cli.js'
import {snapshot, tempDir, useTempDir} from '../../../test/helpers/fs.js'
import {installProject} from '../../../test/helpers/install.js'
import {linkPlugins} from '../../../test/helpers/plugins.js'
import {freePort, waitForPort} from '../../../test/helpers/ports.js'
import {assertMatchesSchema} from '../../../test/helpers/schema.js'
import {temporalCliPath} from '../../../test/helpers/temporal.js'

const PLUGIN_ROOT = fileURLToPath(new URL('..', import.meta.url))
const link = (dir: string) => linkPlugins(join(dir, 'data'), [{name: '@restack/plugin-llm', root: PLUGIN_ROOT}])

/** A fresh project in `dir`/demo, with the plugin linked; returns its root and the CLI env. */
function newProject(dir: string): {env: NodeJS.ProcessEnv; root: string} {
  mkdirSync(dir, {recursive: true})
  const env = link(dir)
  const made = runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir})
  expect(made.status, made.stderr).to.equal(0)
  return {env, root: join(dir, 'demo')}
}

describe('generate:llm-config', () => {
  const dir = useTempDir('restack-llm-')

  it('writes the router, its config, tests and fakes, and registers llmChat; dry run first, a rerun changes nothing, and other options are a conflict', () => {
    const {env, root} = newProject(dir.path)
    const before = snapshot(root)
    const dry = runCli(['g', 'llm-config', '--dry-run'], {cwd: root, env})
    expect(dry.status, dry.stderr).to.equal(0)
    expect(snapshot(root)).to.deep.equal(before)
    for (const line of ['create  config/llm_router.yaml', 'create  src/llm/router.ts', 'create  test/llm/fakes.ts', 'update  src/services.ts', 'update  package.json']) expect(dry.stdout).to.include(line)

    const result = runCli(['generate:llm-config', '--backend', 'direct', '--provider', 'anthropic,openai', '--json'], {cwd: root, env})
    expect(result.status, result.stderr).to.equal(0)
    const json = JSON.parse(result.stdout)
    assertMatchesSchema('entity-result', json)
    expect(json).to.include({kind: 'llm-config', name: 'llmChat', exportName: 'llmChat'})
    const yaml = readFileSync(join(root, 'config/llm_router.yaml'), 'utf8')
    expect(yaml).to.match(/backend: direct/)
    expect(yaml.indexOf('name: anthropic')).to.be.below(yaml.indexOf('name: openai'))
    expect(yaml).to.include('api_key: ${ANTHROPIC_API_KEY}')
    expect(readFileSync(join(root, 'src/services.ts'), 'utf8')).to.match(/functions: \{ greet, llmChat \}/)
    expect(readFileSync(join(root, 'src/functions/index.ts'), 'utf8')).to.include('export * from "./llmChat";')
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
    expect(pkg.dependencies).to.include({cockatiel: '3.2.1', zod: '^4.6.7'})
    const envExample = readFileSync(join(root, '.env.example'), 'utf8')
    expect(envExample).to.match(/\nANTHROPIC_API_KEY=\n# ANTHROPIC_BASE_URL=\nOPENAI_API_KEY=\n/)
    expect(envExample).to.include('# LLM_ROUTER_LOG=')

    const once = snapshot(root)
    const again = runCli(['g', 'llm-config', '--provider', 'anthropic,openai'], {cwd: root, env})
    expect(again.status, again.stderr).to.equal(0)
    expect(snapshot(root)).to.deep.equal(once)

    // Other options over the existing router: a conflict like any generator's, never a silent update.
    const kong = runCli(['g', 'llm-config', '--backend', 'kong', '--provider', 'anthropic,openai'], {cwd: root, env})
    expect(kong.status).to.equal(1)
    expect(isOneParagraph(kong.stderr)).to.equal(true)
    expect(errorText(kong.stderr)).to.match(/already exists, and this run would generate it differently: it would change config\/llm_router\.yaml/)
    expect(snapshot(root)).to.deep.equal(once)
    const forced = runCli(['g', 'llm-config', '--backend', 'kong', '--provider', 'anthropic,openai', '--force'], {cwd: root, env})
    expect(forced.status, forced.stderr).to.equal(0)
    expect(readFileSync(join(root, 'config/llm_router.yaml'), 'utf8')).to.match(/backend: kong/)
  })

  it('refuses a bad provider list or backend in one paragraph, leaving the project as it was', () => {
    const {env, root} = newProject(join(dir.path, 'bad'))
    const before = snapshot(root)
    const provider = runCli(['g', 'llm-config', '--provider', 'openai,gemini'], {cwd: root, env})
    expect(provider.status).to.equal(1)
    expect(isOneParagraph(provider.stderr)).to.equal(true)
    expect(errorText(provider.stderr)).to.include('"gemini" is not a provider type')
    expect(errorText(provider.stderr)).to.include('--provider openai,anthropic')
    const twice = runCli(['g', 'llm-config', '--provider', 'openai,openai'], {cwd: root, env})
    expect(errorText(twice.stderr)).to.include('names "openai" twice')
    const backend = runCli(['g', 'llm-config', '--backend', 'gateway'], {cwd: root, env})
    expect(backend.status).to.equal(2)
    expect(snapshot(root)).to.deep.equal(before)
  })

  it('destroy:llm-config removes everything it generated, restoring the project byte for byte', () => {
    const made = tempDir('restack-llm-destroy-')
    try {
      const {env, root} = newProject(made.path)
      const before = snapshot(root)
      expect(runCli(['g', 'llm-config', '--backend', 'kong'], {cwd: root, env}).status).to.equal(0)
      const destroyed = runCli(['destroy:llm-config'], {cwd: root, env})
      expect(destroyed.status, destroyed.stderr).to.equal(0)
      const after = snapshot(root)
      delete after['.restack/ledger.json']
      const expected = {...before}
      delete expected['.restack/ledger.json']
      expect(after).to.deep.equal(expected)
      expect(existsSync(join(root, 'src/llm'))).to.equal(false)
    } finally {
      made.cleanup()
    }
  })
})

for (const backend of ['direct', 'kong']) {
  describe(`a project with the LLM router (--backend ${backend}), installed for real`, () => {
    let made: ReturnType<typeof tempDir> | undefined
    let root = ''
    let env: NodeJS.ProcessEnv = {}
    before(async () => {
      made = tempDir(`restack-llm-${backend}-`)
      const project = newProject(made.path)
      root = project.root
      env = project.env
      const result = runCli(['g', 'llm-config', '--backend', backend, '--provider', 'openai,anthropic'], {cwd: root, env: project.env})
      expect(result.status, result.stderr).to.equal(0)
      await installProject(root)
    })
    after(() => made?.cleanup())

    it('type-checks', async () => {
      await run('npm', ['run', 'typecheck'], {cwd: root})
    })

    it('passes its own tests, the router against the wire fakes among them', async () => {
      const temporal = temporalCliPath()
      // Without a Temporal CLI the engine tests cannot run; the router's tests need none.
      const output = temporal
        ? await run('npm', ['test'], {cwd: root, env: {TEMPORAL_CLI_PATH: temporal}})
        : await run('npx', ['mocha', 'test/llm', 'test/functions/llmChat.test.ts'], {cwd: root})
      for (const title of ['llm router config', 'llm router', 'kong backend', 'llmChat', 'opens a provider\'s breaker after N failures', 'streams through Kong']) expect(output).to.include(title)
      expect(output).to.match(/\d+ passing/)
      expect(output).not.to.match(/\d+ failing/)
    })

    /** The plugin's findings from `restack doctor --json` in the project. */
    const llmFindings = (extra: NodeJS.ProcessEnv) => {
      const result = runCli(['doctor', '--json'], {cwd: root, env: {...env, OPENAI_API_KEY: undefined, ANTHROPIC_API_KEY: undefined, KONG_GATEWAY_URL: undefined, RESTACK_DOCTOR_TYPECHECK: '0', ...extra}})
      const findings = JSON.parse(result.stdout).findings as Array<{code: string; message: string; severity: string}>
      // the core's rules see nothing wrong in what the plugin generated (e.g. variables the router reads are documented)
      expect(findings.filter((finding) => /llm|LLM_ROUTER|cockatiel|zod/i.test(finding.message) && !finding.code.startsWith('llm/'))).to.deep.equal([])
      const ours = findings.filter((finding) => finding.code.startsWith('llm/'))
      // the whole report, for a failing assertion to show (a plugin that failed to load has no findings of its own)
      Object.defineProperty(ours, 'toString', {value: () => `${result.stderr}\n${JSON.stringify(findings, null, 2)}`})
      return ours
    }

    if (backend === 'direct') {
      it('doctor: names a variable the router config needs that is unset, and is quiet once it is set', () => {
        const missing = llmFindings({})
        expect(missing.map((f) => [f.code, f.severity]), String(missing)).to.deep.equal([['llm/env-missing', 'error']])
        expect(missing[0].message).to.include('OPENAI_API_KEY')
        expect(llmFindings({ANTHROPIC_API_KEY: 'sk-ant-x', OPENAI_API_KEY: 'sk-x'})).to.deep.equal([])
        const badUrl = llmFindings({ANTHROPIC_API_KEY: 'sk-ant-x', OPENAI_API_KEY: 'sk-x', OPENAI_BASE_URL: 'not a url'})
        expect(badUrl.map((f) => f.code)).to.deep.equal(['llm/config-invalid'])
        expect(badUrl[0].message).to.include('providers[0].base_url')
      })

      // Regression (issue 12): `base_url: ${OPENAI_API_KEY}` made doctor print the key, in text and --json.
      it('doctor: never prints a key that reaches a message through another config key', () => {
        const file = join(root, 'config/llm_router.yaml')
        const original = readFileSync(file, 'utf8')
        const key = 'sk-proj-regression-0123456789'
        writeFileSync(file, original.replace(/base_url: \S+/, 'base_url: ${OPENAI_API_KEY}'))
        try {
          for (const format of [['--json'], []]) {
            const result = runCli(['doctor', ...format], {cwd: root, env: {...env, ANTHROPIC_API_KEY: 'sk-ant-x', OPENAI_API_KEY: key, RESTACK_DOCTOR_TYPECHECK: '0'}})
            expect(result.stdout + result.stderr).not.to.include(key)
            expect(result.stdout, result.stdout).to.match(/base_url/)
            expect(result.stdout).to.include('<redacted OPENAI_API_KEY>')
          }
        } finally {
          writeFileSync(file, original)
        }
      })
    } else {
      it('doctor: warns when Kong does not answer, and is quiet when it does', async () => {
        const closed = await freePort()
        const down = llmFindings({KONG_GATEWAY_URL: `http://127.0.0.1:${closed}`})
        expect(down.map((f) => [f.code, f.severity]), String(down)).to.deep.equal([['llm/kong-unreachable', 'warn']])
        // In a child process: runCli blocks this one while doctor probes.
        const port = await freePort()
        const kong = spawn(process.execPath, ['-e', `require("node:http").createServer((q, s) => s.writeHead(404).end('{"message":"no Route matched with those values"}')).listen(${port}, "127.0.0.1")`], {stdio: 'ignore'})
        try {
          await waitForPort(port, 10_000)
          expect(llmFindings({KONG_GATEWAY_URL: `http://127.0.0.1:${port}`})).to.deep.equal([])
        } finally {
          kong.kill()
        }
      })
    }
  })
}
