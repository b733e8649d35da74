import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {cliIn, errorText, isOneParagraph, runCli} from '../helpers/cli.js'
import {snapshot, useTempDir} from '../helpers/fs.js'
import {assertMatchesSchema} from '../helpers/schema.js'

const BLOG = 'IDEATE ⇄ RESEARCH → PLAN → OUTLINE → DRAFT ⇄ REVIEW → POLISH → PUBLISH'

describe('restack generate:pipeline', () => {
  const dir = useTempDir()
  let root: string
  const {cli, ok} = cliIn(() => root)

  const doctorFindings = (): Array<{code: string; fix: string; message: string; severity: string}> =>
    JSON.parse(runCli(['doctor', '--json'], {cwd: root, env: {RESTACK_DOCTOR_TYPECHECK: '0', RESTACK_ENGINE_ADDRESS: '127.0.0.1:1'}}).stdout).findings

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
    expect(workflow).to.match(/for \(let round = 1; ; round\+\+\) \{\n {4}output = await step<typeof functions>\(\{\}\)\.ideate\(/)
    // the loop asks the deciding step's own output, through the user's predicates file
    expect(workflow).to.include('if (round >= blogPipelineLoopMax.ideateResearch || !predicates.repeatIdeateResearch(own(output), data, round)) break;')
    expect(readFileSync(join(root, 'src/pipelines/blogPipeline.ts'), 'utf8')).to.include('export function repeatIdeateResearch(output: PipelineData, data: PipelineData, round: number): boolean {\n  return output.continue === true;\n}')
    expect(readFileSync(join(root, 'restack.yaml'), 'utf8')).to.include(`  blogPipeline:\n    operators: "${BLOG}"\n    scaffolded: [ideate, research, plan, outline, draft, review, polish, publish]\n`)
    expect(readFileSync(join(root, 'src/services.ts'), 'utf8')).to.include('functions: { greet, ideate, research, plan, outline, draft, review, polish, publish }')
    ok('d', 'pipeline', 'BlogPipeline')
    expect(snapshot(root)).to.deep.equal(before)
  })

  it('changes the expression in one commit: the workflow, its test and restack.yaml follow, the user\'s predicates and comments stay', () => {
    writeFileSync(join(root, 'restack.yaml'), readFileSync(join(root, 'restack.yaml'), 'utf8') + '# my notes\n')
    ok('g', 'pipeline', 'Triage', '--operators', 'Classify ->? (Escalate, Reply) -> Archive', '--scaffold-missing')
    const predicatesFile = join(root, 'src/pipelines/triagePipeline.ts')
    const mine = readFileSync(predicatesFile, 'utf8').replace('return output.ok === true;', 'return output.ok === true || data.vip === true;')
    writeFileSync(predicatesFile, mine)
    const before = snapshot(root)
    const result = ok('g', 'pipeline', 'Triage', '--operators', 'Classify →? (Reply, Escalate) → Archive ⇄ Review', '--scaffold-missing')
    expect(result.stdout).to.not.match(/conflict|force/)
    expect(changed(before, snapshot(root))).to.deep.equal([
      '.restack/ledger.json', 'restack.yaml', 'src/functions/index.ts', 'src/functions/review.ts', 'src/pipelines/triagePipeline.ts', 'src/services.ts',
      'src/workflows/triagePipeline.ts', 'test/functions/review.test.ts', 'test/workflows/triagePipeline.test.ts',
    ])
    const predicates = readFileSync(predicatesFile, 'utf8')
    expect(predicates.startsWith(mine), 'the user\'s file is kept byte for byte and only appended to').to.equal(true)
    expect(predicates.slice(mine.length)).to.include('export function repeatArchiveReview(output: PipelineData, data: PipelineData, round: number): boolean {')
    expect(readFileSync(join(root, 'restack.yaml'), 'utf8')).to.include('# my notes\n').and.to.include('operators: "Classify →? (Reply, Escalate) → Archive ⇄ Review"')
    expect(readFileSync(join(root, 'src/workflows/triagePipeline.ts'), 'utf8')).to.match(/if \(predicates\.classifyPassed\(own\(output\), data\)\) \{\n {4}output = await step<typeof functions>\(\{\}\)\.reply\(/)
    const stored = snapshot(root)
    expect(ok('g', 'pipeline', 'Triage').stdout, 'the expression is read back from restack.yaml').to.not.match(/create|update/)
    expect(snapshot(root)).to.deep.equal(stored)
    // destroy asks before deleting the predicates the user changed
    const refused = cli('d', 'pipeline', 'Triage')
    expect(refused.status).to.equal(1)
    expect(errorText(refused.stderr)).to.include('src/pipelines/triagePipeline.ts')
    expect(snapshot(root)).to.deep.equal(stored)
  })

  it('reports predicates the pipeline no longer calls, in the generate output and in doctor, and keeps them', () => {
    ok('g', 'pipeline', 'Edit', '--operators', 'Draft ⇄ Review → Check →? (Publish)', '--scaffold-missing')
    const predicatesFile = join(root, 'src/pipelines/editPipeline.ts')
    const mine = readFileSync(predicatesFile, 'utf8')
    const quiet = doctorFindings()
    expect(quiet.map((finding) => finding.code)).not.to.include('pipeline/unused-predicate')

    const result = ok('g', 'pipeline', 'Edit', '--operators', 'Draft → Check →? (Publish)')
    const notice = 'src/pipelines/editPipeline.ts still exports repeatDraftReview, which the pipeline editPipeline no longer calls'
    expect(errorText(result.stderr)).to.include(notice).and.to.include('delete it if you no longer need it')
    // an identical re-run still says so, and --json carries it
    const json = JSON.parse(ok('g', 'pipeline', 'Edit', '--json').stdout)
    assertMatchesSchema('entity-result', json)
    expect(json.notices).to.have.length(1)
    expect(json.notices[0]).to.include(notice)
    expect(readFileSync(predicatesFile, 'utf8'), 'the user\'s file keeps every byte').to.equal(mine)

    const findings = doctorFindings().filter((finding) => finding.code === 'pipeline/unused-predicate')
    expect(findings).to.have.length(1)
    expect(findings[0]).to.include({severity: 'warn'})
    expect(findings[0].message).to.include(notice)
    expect(findings[0].fix).to.match(/^Delete repeatDraftReview from src\/pipelines\/editPipeline\.ts/)

    // once the user removes it, both are quiet again
    writeFileSync(predicatesFile, mine.replace(/\/\*\*[^\n]*\n(export function repeatDraftReview[\s\S]*?\n\}\n)/, ''))
    expect(readFileSync(predicatesFile, 'utf8')).not.to.include('repeatDraftReview')
    expect(JSON.parse(ok('g', 'pipeline', 'Edit', '--json').stdout)).not.to.have.property('notices')
    expect(doctorFindings().map((finding) => finding.code)).not.to.include('pipeline/unused-predicate')
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
      refuses(['g', 'pipeline', 'Report', '--operators', 'greet'], /"Report" is taken by the workflow "reportPipeline" \(src\/workflows\/reportPipeline\.ts\), so generating the pipeline would replace it: .*Pass --force to replace it/)
    })
  })
})
