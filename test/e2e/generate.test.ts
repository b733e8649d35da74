import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {chmodSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {BIN, CliResult, errorText, isOneParagraph, runCli} from '../helpers/cli.js'
import {snapshot, useTempDir} from '../helpers/fs.js'
import {HAND_FORMATTED_SERVICES as HAND_FORMATTED} from '../fixtures/services.js'
import {assertMatchesSchema} from '../helpers/schema.js'


const planLines = (stdout: string): string[] => stdout.split('\n').filter((line) => /^\s*(create|identical|force|conflict|update|skip|delete)\s{2}/.test(line))

describe('restack generate and destroy', () => {
  const dir = useTempDir()
  let root: string
  /** A fresh project named demo, in `dir` or a folder of it (same name, so the same package.json). */
  const newProject = (folder = ''): string => {
    const parent = join(dir.path, folder)
    mkdirSync(parent, {recursive: true})
    const result = runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: parent})
    expect(result.status, result.stderr).to.equal(0)
    return join(parent, 'demo')
  }

  const cliIn = (cwd: string, ...args: string[]): CliResult => runCli(args, {cwd})
  const ok = (cwd: string, ...args: string[]): CliResult => {
    const result = cliIn(cwd, ...args)
    expect(result.status, `${args.join(' ')}: ${result.stderr}`).to.equal(0)
    return result
  }

  beforeEach(() => {
    root = newProject()
  })

  const GENERATORS = [
    ['g', 'function', 'SendEmail'],
    ['g', 'agent', 'Support', '--events', 'message,feedback'],
    ['generate:function', 'ChargeCard', '--task-queue', 'payments', '--rate-limit', '5', '--max-concurrent', '2'],
    ['generate', 'workflow', 'Onboarding'],
  ]
  const DESTROYERS = [['d', 'function', 'SendEmail'], ['d', 'agent', 'Support'], ['destroy:function', 'ChargeCard'], ['destroy', 'workflow', 'Onboarding']]

  it('returns every file to its exact previous bytes after generate and destroy in any interleaving', () => {
    const states = [snapshot(root)]
    for (const args of GENERATORS) {
      ok(root, ...args)
      states.push(snapshot(root))
    }

    ok(root, ...DESTROYERS[3])
    expect(snapshot(root), 'destroying the last undoes it').to.deep.equal(states[3])
    ok(root, ...GENERATORS[3])
    expect(snapshot(root), 'generating it again').to.deep.equal(states[4])

    ok(root, ...DESTROYERS[1])
    const reference = newProject('reference')
    for (const index of [0, 2, 3]) ok(reference, ...GENERATORS[index])
    expect(snapshot(root), 'destroying one in the middle').to.deep.equal(snapshot(reference))

    for (const index of [2, 0, 3]) ok(root, ...DESTROYERS[index])
    expect(snapshot(root), 'destroying everything').to.deep.equal(states[0])
  })

  it('leaves every file byte-identical when a generator runs again', () => {
    ok(root, 'g', 'function', 'SendEmail', '--task-queue', 'email')
    const once = snapshot(root)
    const again = ok(root, 'g', 'function', 'send email', '--task-queue', 'email')
    expect(snapshot(root)).to.deep.equal(once)
    expect(planLines(again.stdout).every((line) => line.trim().startsWith('identical'))).to.equal(true)
  })

  it('keeps a hand-formatted services.ts: only registration lines change, and destroy restores it', () => {
    writeFileSync(join(root, 'src/services.ts'), HAND_FORMATTED)
    ok(root, 'g', 'function', 'SendEmail')
    ok(root, 'g', 'function', 'ChargeCard', '--task-queue', 'payments')
    const edited = readFileSync(join(root, 'src/services.ts'), 'utf8').split('\n')
    const original = HAND_FORMATTED.split('\n')
    expect(original.filter((line) => !edited.includes(line))).to.deep.equal([])
    expect(edited.filter((line) => !original.includes(line)).every((line) => /sendEmail|chargeCard|payments|startService|\}\),/.test(line))).to.equal(true)
    ok(root, 'd', 'function', 'SendEmail')
    ok(root, 'd', 'function', 'ChargeCard')
    expect(readFileSync(join(root, 'src/services.ts'), 'utf8')).to.equal(HAND_FORMATTED)
  })

  it('prints in a dry run exactly what the real run does, for creates, updates and conflicts, and writes nothing', () => {
    writeFileSync(join(root, 'src/functions/sendEmail.ts'), 'export const sendEmail = async () => ({});\n')
    const before = snapshot(root)
    const dry = ok(root, 'g', 'function', 'SendEmail', '--dry-run')
    expect(snapshot(root)).to.deep.equal(before)
    expect(planLines(dry.stdout).map((line) => line.trim().split(/\s+/)[0])).to.deep.equal(['conflict', 'create', 'update', 'update'])
    expect(dry.stdout).to.match(/A real run would stop at 1 conflict/)

    const refused = cliIn(root, 'g', 'function', 'SendEmail')
    expect(refused.status).to.equal(1)
    expect(errorText(refused.stderr)).to.match(/would overwrite "src\/functions\/sendEmail\.ts".*Nothing was written.*--force.*--skip/)
    expect(snapshot(root)).to.deep.equal(before)

    for (const flag of ['--skip', '--force']) {
      const plan = ok(root, 'g', 'function', 'SendEmail', flag, '--dry-run')
      expect(snapshot(root)).to.deep.equal(before)
      const real = ok(root, 'g', 'function', 'SendEmail', flag)
      expect(planLines(real.stdout), flag).to.deep.equal(planLines(plan.stdout))
      if (flag === '--skip') {
        expect(readFileSync(join(root, 'src/functions/sendEmail.ts'), 'utf8')).to.include('async () => ({})')
        ok(root, 'd', 'function', 'SendEmail', '--skip')
        expect(snapshot(root)).to.deep.equal(before)
      }
    }
  })

  it('shows unified diffs of updates with --diff', () => {
    const result = ok(root, 'g', 'function', 'SendEmail', '--dry-run', '--diff')
    expect(result.stdout).to.include('--- a/src/functions/index.ts\n+++ b/src/functions/index.ts\n')
    expect(result.stdout).to.include('+export * from "./sendEmail";')
    expect(result.stdout).to.match(/-import \{ greet \} from "\.\/functions";\n\+import \{ greet, sendEmail \} from "\.\/functions";/)
  })

  it('gives the same files and identifiers for every style of a name', () => {
    for (const kind of ['function', 'agent']) {
      const states = ['blog post', 'blog_post', 'BlogPost', 'blogPost', 'blog-post'].map((input, index) => {
        const project = newProject(`${kind}${index}`)
        ok(project, 'g', kind, input)
        return snapshot(project)
      })
      for (const state of states.slice(1)) expect(state, kind).to.deep.equal(states[0])
      expect(Object.keys(states[0])).to.include(`src/${kind}s/blogPost.ts`)
    }

    expect(readFileSync(join(dir.path, 'agent0/demo/src/agents/blogPost.ts'), 'utf8')).to.include('export async function agentBlogPost(')
    expect(readFileSync(join(dir.path, 'agent0/demo/package.json'), 'utf8')).to.include('"schedule:blog-post": "tsx scripts/schedule-blog-post.ts"')
  })

  it('refuses to destroy a file the user changed unless --force, and what does not exist', () => {
    ok(root, 'g', 'workflow', 'Onboarding')
    writeFileSync(join(root, 'src/workflows/onboarding.ts'), readFileSync(join(root, 'src/workflows/onboarding.ts'), 'utf8') + '// my change\n')
    const before = snapshot(root)
    const refused = cliIn(root, 'd', 'workflow', 'Onboarding')
    expect(refused.status).to.equal(1)
    expect(errorText(refused.stderr)).to.match(/would delete "src\/workflows\/onboarding\.ts", which was changed since restack generated it.*--force/)
    expect(snapshot(root)).to.deep.equal(before)
    const forced = ok(root, 'd', 'workflow', 'Onboarding', '--force')
    expect(planLines(forced.stdout)).to.include('    force  src/workflows/onboarding.ts')
    const missing = cliIn(root, 'd', 'workflow', 'Onboarding')
    expect(missing.status).to.equal(1)
    expect(errorText(missing.stderr)).to.match(/There is no workflow "onboarding" to destroy.*restack list/)
  })

  it('answers --json with results that match their schemas', () => {
    const generated = JSON.parse(ok(root, 'g', 'function', 'SendEmail', '--json').stdout)
    assertMatchesSchema('entity-result', generated)
    expect(generated).to.include({exportName: 'sendEmail', kind: 'function', mode: 'generate', name: 'sendEmail'})
    const agent = JSON.parse(ok(root, 'generate:agent', 'Support', '--json', '--dry-run', '--diff').stdout)
    assertMatchesSchema('entity-result', agent)
    expect(agent.files.find((file: {path: string}) => file.path === 'package.json').diff).to.include('+    "schedule:support"')
    const destroyed = JSON.parse(ok(root, 'd', 'function', 'SendEmail', '--json').stdout)
    assertMatchesSchema('entity-result', destroyed)
    expect(destroyed.mode).to.equal('destroy')
    const listed = JSON.parse(ok(root, 'list', '--json').stdout)
    assertMatchesSchema('list-result', listed)
    expect(listed.entities.agents.map((entity: {name: string}) => entity.name)).to.deep.equal(['greeter'])
    const created = JSON.parse(runCli(['new', 'other', '--skip-install', '--skip-git', '--json'], {cwd: dir.path}).stdout)
    assertMatchesSchema('new-result', created)
  })

  it('lists entities with their files and registration status, pipelines and prompts', () => {
    ok(root, 'g', 'function', 'ChargeCard', '--task-queue', 'payments')
    ok(root, 'g', 'pipeline', 'Checkout', '--operators', 'greet -> ChargeCard')
    ok(root, 'g', 'prompt', 'Summarize')
    ok(root, 'g', 'prompt', 'Summarize', '--version', '1.1.0')
    writeFileSync(join(root, 'src/workflows/stray.ts'), 'export async function strayWorkflow() {}\n')
    const listed = ok(root, 'list').stdout
    expect(listed).to.match(/src\/functions\/chargeCard\.ts\s+registered, queue payments/)
    expect(listed).to.match(/src\/workflows\/stray\.ts\s+not in index\.ts/)
    expect(listed).to.match(/src\/agents\/greeter\.ts\s+registered/)
    expect(listed).to.match(/pipelines \(1\)\n {2}src\/workflows\/checkoutPipeline\.ts {2}greet -> ChargeCard/)
    expect(listed).to.match(/prompts \(1\)\n {2}summarize {2}1\.0\.0, 1\.1\.0 \(latest 1\.1\.0\)/)
    const json = JSON.parse(ok(root, 'list', '--json').stdout)
    assertMatchesSchema('list-result', json)
    expect(json.prompts).to.deep.equal([{latest: '1.1.0', name: 'summarize', versions: ['1.0.0', '1.1.0']}])
  })

  describe('bad input: one paragraph, non-zero exit, the project byte-identical', () => {
    const refuses = (args: string[], pattern: RegExp, options: {cwd?: string; exit?: number; prefix?: string[]} = {}) => {
      const before = snapshot(root)
      const result = runCli(args, {cwd: options.cwd ?? root, env: {HOME: dir.path}, prefix: options.prefix})
      expect(result.status, result.stdout + result.stderr).to.equal(options.exit ?? 1)
      expect(errorText(result.stderr)).to.match(pattern)
      expect(isOneParagraph(result.stderr), result.stderr).to.equal(true)
      expect(result.stderr).not.to.match(/\n\s+at /)
      expect(snapshot(root)).to.deep.equal(before)
    }

    it('an empty name', () => refuses(['g', 'function', ''], /function name is empty/))
    it('a reserved word', () => refuses(['g', 'function', 'delete'], /"delete" is a reserved word in JavaScript/))
    it('a name starting with a digit', () => refuses(['g', 'workflow', '2fast'], /"2fast" is not a valid workflow name: a name must start with a letter/))
    it('a name another kind has, without --force', () => refuses(['g', 'function', 'Greeter'], /"Greeter" is taken by the agent "greeter" \(src\/agents\/greeter\.ts\), so generating the function would replace it: .*Pass --force to replace it.*--skip/))
    it('an unknown kind, with "did you mean"', () => refuses(['g', 'agnet', 'X'], /"agnet" is not something restack can generate\. Did you mean "agent"\?/, {exit: 2}))
    it('limits without a queue', () => refuses(['g', 'function', 'Charge', '--rate-limit', '5'], /--rate-limit and --max-concurrent limit a function's own task queue.*--task-queue/))
    it('"end" as an event', () => refuses(['g', 'agent', 'Support', '--events', 'message,end'], /"end" is not a valid event name/))
    it('outside a project', () => refuses(['g', 'function', 'SendEmail'], /is not inside a restack project.*restack new/, {cwd: dir.path}))

    it('a services.ts that does not parse', () => {
      writeFileSync(join(root, 'src/services.ts'), 'import { greet } from "./functions"\nconst = ;\n')
      refuses(['g', 'function', 'SendEmail'], /"src\/services\.ts" does not parse at line 2, column 7.*nothing was written/)
    })

    it('a read-only src/', () => {
      // root can write anywhere, so as root the CLI runs as "nobody" against a project it may change but src/ it may not
      chmodSync(dir.path, 0o755)
      for (const path of ['', 'src', 'src/functions', 'test', 'test/functions', '.restack']) chmodSync(join(root, path), 0o777)
      for (const path of ['src', 'src/functions']) chmodSync(join(root, path), 0o555)
      for (const file of ['src/services.ts', 'src/functions/index.ts']) chmodSync(join(root, file), 0o444)
      const asNobody = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : undefined
      refuses(['g', 'function', 'SendEmail'], /Cannot write ".*src\/functions\/sendEmail\.ts": permission denied\. Nothing was written/, {prefix: asNobody})
    })
  })

  it('runs two generators started at the same time one after the other, losing neither', async () => {
    const start = (name: string) =>
      new Promise<number | null>((resolve) => {
        spawn(process.execPath, [BIN, 'g', 'function', name], {cwd: root, stdio: 'ignore'}).on('exit', resolve)
      })
    expect(await Promise.all([start('First'), start('Second'), start('Third')])).to.deep.equal([0, 0, 0])
    const services = readFileSync(join(root, 'src/services.ts'), 'utf8')
    for (const name of ['first', 'second', 'third']) expect(services).to.match(new RegExp(`functions: \\{[^}]*\\b${name}\\b`))
    const barrel = readFileSync(join(root, 'src/functions/index.ts'), 'utf8')
    expect(barrel.match(/export \* from/g)).to.have.length(4)
  })
})
