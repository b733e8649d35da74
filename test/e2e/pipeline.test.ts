import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {CliResult, errorText, isOneParagraph, runCli} from '../helpers/cli.js'
import {snapshot, useTempDir} from '../helpers/fs.js'
import {assertMatchesSchema} from '../helpers/schema.js'

const BLOG = 'IDEATE ⇄ RESEARCH → PLAN → OUTLINE → DRAFT ⇄ REVIEW → POLISH → PUBLISH'

describe('restack generate:pipeline', () => {
  const dir = useTempDir()
  let root: string
  const cli = (...args: string[]): CliResult => runCli(args, {cwd: root})
  const ok = (...args: string[]): CliResult => {
    const result = cli(...args)
    expect(result.status, `${args.join(' ')}: ${result.stderr}`).to.equal(0)
    return result
  }

  const changed = (before: Record<string, string>, after: Record<string, string>): string[] =>
    [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((key) => before[key] !== after[key]).sort()

  beforeEach(() => {
    expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path}).status).to.equal(0)
    root = join(dir.path, 'demo')
  })

  it('compiles the blog pipeline, scaffolding its steps as functions in the same commit, and destroy takes it all back', () => {
    const before = snapshot(root)
    const result = JSON.parse(ok('g', 'pipeline', 'BlogPipeline', '--operators', BLOG, '--scaffold-missing', '--json').stdout)
    assertMatchesSchema('entity-result', result)
    expect(result).to.include({exportName: 'blogPipeline', kind: 'pipeline'})
    const workflow = readFileSync(join(root, 'src/workflows/blogPipeline.ts'), 'utf8')
    expect(workflow).to.include(`//   ${BLOG}`)
    expect(workflow).to.match(/for \(let round = 1; ; round\+\+\) \{\n {4}data = asData\(await step<typeof functions>\(\{\}\)\.ideate\(/)
    expect(workflow).to.include('export function repeatIdeateResearch(data: BlogPipelineData, round: number): boolean {')
    expect(readFileSync(join(root, 'restack.yaml'), 'utf8')).to.include(`  blogPipeline:\n    operators: "${BLOG}"\n    scaffolded: [ideate, research, plan, outline, draft, review, polish, publish]\n`)
    expect(readFileSync(join(root, 'src/services.ts'), 'utf8')).to.include('functions: { greet, ideate, research, plan, outline, draft, review, polish, publish }')
    ok('d', 'pipeline', 'BlogPipeline')
    expect(snapshot(root)).to.deep.equal(before)
  })

  it('regenerates with --force after the expression changes: only the workflow, its test and restack.yaml change', () => {
    ok('g', 'pipeline', 'Triage', '--operators', 'Classify ->? (Escalate, Reply) -> Archive', '--scaffold-missing')
    const before = snapshot(root)
    ok('g', 'pipeline', 'Triage', '--force', '--operators', 'Classify →? (Reply, Escalate) → Archive')
    // (and the ledger, which records the new workflow's hash)
    expect(changed(before, snapshot(root))).to.deep.equal(['.restack/ledger.json', 'restack.yaml', 'src/workflows/triagePipeline.ts', 'test/workflows/triagePipeline.test.ts'])
    expect(readFileSync(join(root, 'src/workflows/triagePipeline.ts'), 'utf8')).to.match(/if \(classifyPassed\(data\)\) \{\n {4}data = asData\(await step<typeof functions>\(\{\}\)\.reply\(/)
    const stored = snapshot(root)
    ok('g', 'pipeline', 'Triage', '--force')
    expect(snapshot(root), 'the expression is read back from restack.yaml').to.deep.equal(stored)
  })

  it('prints in a dry run the plan the real run follows, and writes nothing', () => {
    const before = snapshot(root)
    const dry = ok('g', 'pipeline', 'Blog', '--operators', BLOG, '--scaffold-missing', '--dry-run')
    expect(snapshot(root)).to.deep.equal(before)
    const real = ok('g', 'pipeline', 'Blog', '--operators', BLOG, '--scaffold-missing')
    expect(real.stdout.split('\n').filter((line) => /^\s+\w+ {2}/.test(line))).to.deep.equal(dry.stdout.split('\n').filter((line) => /^\s+\w+ {2}/.test(line)))
  })

  it('resolves steps in any case and style to agents and workflows (children) and functions (steps on their queue)', () => {
    ok('g', 'workflow', 'Onboarding')
    ok('g', 'function', 'ChargeCard', '--task-queue', 'payments')
    ok('g', 'pipeline', 'Checkout', '--operators', 'GREET -> onboarding -> charge_card -> agent-greeter')
    const workflow = readFileSync(join(root, 'src/workflows/checkoutPipeline.ts'), 'utf8')
    expect(workflow).to.include('step<typeof functions>({}).greet(')
    expect(workflow).to.include('childExecute({ child: onboardingWorkflow, childId: `${workflowInfo().workflowId}-onboarding`')
    expect(workflow).to.include('step<typeof functions>({ taskQueue: "payments" }).chargeCard(')
    expect(workflow).to.include('import { agentGreeter } from "../agents/greeter";')
  })

  describe('bad input: one paragraph, non-zero exit, nothing written', () => {
    const refuses = (args: string[], pattern: RegExp) => {
      const before = snapshot(root)
      const result = cli(...args)
      expect(result.status, result.stdout + result.stderr).to.equal(1)
      expect(errorText(result.stderr)).to.match(pattern)
      expect(snapshot(root)).to.deep.equal(before)
      return result
    }

    it('an unknown step, listing what exists with a "did you mean"', () =>
      refuses(['g', 'pipeline', 'P', '--operators', 'greeet → Publish'], /The steps "greeet" \(column 1\), "Publish" \(column 10\) are not an agent, workflow or function of this project\. Did you mean "greet" for "greeet"\? Known: greet \(function\), greeter \(agent\)\..*--scaffold-missing/))

    it('a syntax error, with the expression and a caret under the column', () => {
      const result = refuses(['g', 'pipeline', 'P', '--operators', 'A → → B'], /Unexpected "→" at column 5/)
      expect(result.stderr).to.match(/A → → B\n.*\n?.* {4}\^/)
      expect(isOneParagraph(result.stderr)).to.equal(true)
    })

    it('no expression for a pipeline restack.yaml does not know', () => refuses(['g', 'pipeline', 'Nope'], /There is no pipeline "nopePipeline" in restack\.yaml: give the expression with --operators/))
    it('the name of a workflow that is not a pipeline', () => {
      ok('g', 'workflow', 'Report Pipeline')
      refuses(['g', 'pipeline', 'Report', '--operators', 'greet'], /"Report" is already taken: the project has a workflow "reportPipeline" \(src\/workflows\/reportPipeline\.ts\) that is not a pipeline/)
    })
  })
})
