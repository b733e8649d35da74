import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {cliIn, errorText, isOneParagraph, runCli} from '../helpers/cli.js'
import {snapshot, useTempDir} from '../helpers/fs.js'

/** Regressions of a project grown by many generators: names, re-runs, references (issues 12 and 14). */
describe('restack generators in a grown project', () => {
  const dir = useTempDir()
  let root: string
  const {cli, ok} = cliIn(() => root)

  /** Exit 1, one paragraph matching `pattern`, and the tree byte for byte as it was. */
  const refuses = (args: string[], pattern: RegExp): string => {
    const before = snapshot(root)
    const result = cli(...args)
    expect(result.status, `${args.join(' ')}: ${result.stdout}${result.stderr}`).to.equal(1)
    const text = errorText(result.stderr)
    expect(text).to.match(pattern)
    expect(text).to.not.match(/unexpected/)
    expect(isOneParagraph(result.stderr)).to.equal(true)
    expect(snapshot(root)).to.deep.equal(before)
    return text
  }

  const read = (path: string): string => readFileSync(join(root, path), 'utf8')

  beforeEach(() => {
    expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path}).status).to.equal(0)
    root = join(dir.path, 'demo')
  })

  describe('a unit never maps onto a project file that is not its own', () => {
    it('refuses "index" for every kind, and as a pipeline step scaffolded as a function', () => {
      refuses(['g', 'function', 'index'], /"index" cannot be a function's name: its file would be src\/functions\/index\.ts, which is the functions' barrel.*e\.g\. "IndexStep"/)
      refuses(['g', 'workflow', 'Index'], /"Index" cannot be a workflow's name: its file would be src\/workflows\/index\.ts, which is the workflows' barrel/)
      refuses(['g', 'agent', 'INDEX'], /"INDEX" cannot be an agent's name: its file would be src\/agents\/index\.ts, which is the agents' barrel/)
      refuses(['g', 'pipeline', 'P', '--operators', 'greet → index', '--scaffold-missing'], /"index" cannot be a function's name: its file would be src\/functions\/index\.ts/)
    })

    it('refuses the names services.ts declares (services, client) with a name that works, and that name works', () => {
      refuses(['g', 'function', 'services'], /"services" cannot be a function's name: its exported identifier would be "services", and "services" is the function src\/services\.ts declares.*e\.g\. "ServicesStep"/)
      const text = refuses(['g', 'function', 'Client'], /"Client" cannot be a function's name: .*"client" is the Restack client src\/services\.ts imports from \.\/client.*e\.g\. "ClientStep"/)
      expect(text).to.not.match(/does not parse/)
      ok('g', 'function', 'ClientStep')
    })

    it('refuses a name that differs from an existing unit only in case', () => {
      refuses(['g', 'function', 'GrEeT'], /"GrEeT" collides with the function "greet" \(src\/functions\/greet\.ts\): the names differ only in case/)
      refuses(['g', 'workflow', 'GrEeT'], /"GrEeT" collides with the function "greet"/)
      ok('g', 'prompt', 'Summary')
      refuses(['g', 'prompt', 'SumMary'], /"SumMary" collides with the prompt "summary"/)
    })

    it('refuses a prompt registry entry that points outside prompts/, instead of overwriting services.ts', () => {
      ok('g', 'prompt', 'Summary')
      writeFileSync(join(root, 'config/prompts.yaml'), read('config/prompts.yaml').replace('prompts/summary/1.0.0.md', 'src/services.ts'))
      refuses(['g', 'prompt', 'Summary'], /config\/prompts\.yaml: prompts\.summary\.versions\.1\.0\.0 is "src\/services\.ts", which is not a \.md file inside prompts\//)
      refuses(['d', 'prompt', 'Summary'], /is "src\/services\.ts", which is not a \.md file inside prompts\//)
    })

    it('refuses a pipeline that would call itself through another one, naming the cycle', () => {
      ok('g', 'pipeline', 'One', '--operators', 'Draft', '--scaffold-missing')
      ok('g', 'pipeline', 'Two', '--operators', 'OnePipeline → Review', '--scaffold-missing')
      refuses(['g', 'pipeline', 'One', '--operators', 'Draft → TwoPipeline'], /The pipeline "onePipeline" would call itself through onePipeline → twoPipeline → onePipeline/)
    })
  })

  describe('identifiers that clash with the runtime, Temporal or JS', () => {
    it('generates a function (and a pipeline step) named Log with the runtime\'s log aliased', () => {
      ok('g', 'function', 'Log')
      expect(read('src/functions/log.ts')).to.include('import { FunctionFailure, log as restackLog } from "../restack/function";').and.to.include('restackLog.info("log"')
      ok('g', 'pipeline', 'Audit', '--operators', 'Trace', '--scaffold-missing')
      expect(read('src/functions/trace.ts')).to.include('import { log } from "../restack/function";')
    })

    it('refuses names CommonJS reserves and an agent that would shadow agentContinueAsNew', () => {
      refuses(['g', 'function', 'require'], /"require" is a name CommonJS reserves.*e\.g\. "RequireStep"/)
      refuses(['g', 'agent', 'ContinueAsNew'], /"agentContinueAsNew" is the runtime function every agent file imports.*e\.g\. "ContinueAsNewAssistant"/)
    })

    it('keeps two pipelines that share a loop apart: their predicates are not exported through the barrel', () => {
      ok('g', 'pipeline', 'Blog', '--operators', 'Draft ⇄ Review', '--scaffold-missing')
      ok('g', 'pipeline', 'News', '--operators', 'Draft ⇄ Review → Publish', '--scaffold-missing')
      for (const pipeline of ['blogPipeline', 'newsPipeline']) {
        expect(read(`src/workflows/${pipeline}.ts`)).to.not.match(/export function repeat/)
        expect(read(`src/pipelines/${pipeline}.ts`)).to.include('export function repeatDraftReview(')
      }
    })
  })

  describe('running a generator again', () => {
    it('is identical with the same options, and a conflict saying what would change with others', () => {
      ok('g', 'agent', 'Support', '--events', 'message,feedback')
      const same = ok('g', 'agent', 'support', '--events', 'message,feedback')
      expect(same.stdout).to.match(/identical {2}src\/agents\/support\.ts/).and.not.match(/create|update|force/)
      refuses(['g', 'agent', 'Support'], /The agent "support" already exists, and this run would generate it differently: it would change src\/agents\/support\.ts \(\+\d+ -\d+ lines\).*Pass --force.*--skip/)
      const dry = ok('g', 'agent', 'Support', '--dry-run')
      expect(dry.stdout).to.match(/conflict {2}src\/agents\/support\.ts/)
      const skipped = ok('g', 'agent', 'Support', '--skip')
      expect(skipped.stdout).to.match(/skip {2}src\/agents\/support\.ts/)
      expect(read('src/agents/support.ts')).to.include('defineEvent<SupportReceipt>("feedback")')
      ok('g', 'agent', 'Support', '--force')
      expect(read('src/agents/support.ts')).to.not.include('"feedback"')
    })

    it('does not replace the sample agent, nor a pipeline with a plain workflow, without --force', () => {
      refuses(['g', 'agent', 'Greeter'], /The agent "greeter" already exists, and this run would generate it differently/)
      ok('g', 'pipeline', 'Blog', '--operators', 'greet')
      refuses(['g', 'workflow', 'BlogPipeline'], /"BlogPipeline" is taken by the pipeline "blogPipeline" \(src\/workflows\/blogPipeline\.ts\), so generating the workflow would replace it: .*updates .*restack\.yaml.*Pass --force to replace it/)
      refuses(['d', 'workflow', 'BlogPipeline'], /"blogPipeline" is a pipeline.*Use "restack d pipeline blogPipeline"/)
    })

    it('a unit of another kind under the name is a conflict: it says what would change; --skip keeps it, --dry-run shows it, --force replaces it and its registrations', () => {
      ok('g', 'agent', 'Support')
      const before = snapshot(root)
      refuses(
        ['g', 'workflow', 'Support'],
        /^Error: "Support" is taken by the agent "support" \(src\/agents\/support\.ts\), so generating the workflow would replace it: replacing the agent "support" with the workflow "support" deletes scripts\/event-support\.ts, scripts\/schedule-support\.ts, test\/agents\/support\.test\.ts, src\/agents\/support\.ts; updates package\.json, src\/agents\/index\.ts, src\/workflows\/index\.ts; creates src\/workflows\/support\.ts, test\/workflows\/support\.test\.ts, scripts\/run-support\.ts\. Nothing was written\. Pass --force to replace it .*or --skip to keep the agent and write nothing/,
      )
      const skipped = JSON.parse(ok('g', 'workflow', 'Support', '--skip', '--json').stdout)
      expect(skipped.files).to.deep.equal([{action: 'skip', path: 'src/agents/support.ts'}])
      expect(skipped.notices[0]).to.match(/^Kept the agent "support"; nothing was written/)
      const dry = ok('g', 'workflow', 'Support', '--dry-run')
      expect(dry.stdout).to.match(/conflict {2}src\/agents\/support\.ts/).and.to.match(/create {2}src\/workflows\/support\.ts/)
      expect(snapshot(root)).to.deep.equal(before)

      // a change of the user's in the old agent is named, and --force deletes it with the rest
      writeFileSync(join(root, 'src/agents/support.ts'), `${read('src/agents/support.ts')}// mine\n`)
      refuses(['g', 'workflow', 'Support'], /deletes .*src\/agents\/support\.ts \(changed since it was generated\)/)
      ok('g', 'workflow', 'Support', '--force')
      const after = snapshot(root)
      for (const gone of ['src/agents/support.ts', 'test/agents/support.test.ts', 'scripts/schedule-support.ts', 'scripts/event-support.ts']) expect(after).not.to.have.property(gone)
      expect(read('src/agents/index.ts')).not.to.include('support')
      expect(read('src/workflows/index.ts')).to.include('export * from "./support";')
      expect(read('package.json')).to.include('"run:support"').and.not.to.include('schedule:support')
      expect(Object.keys(JSON.parse(read('.restack/ledger.json')).files).filter((path) => path.includes('agents/support'))).to.deep.equal([])
      // and the workflow destroys cleanly: nothing of the agent is left behind
      ok('d', 'workflow', 'Support')
      expect(read('src/agents/index.ts')).to.equal('export * from "./greeter";\n')

      // a pipeline replaced by a workflow loses its restack.yaml entry in the same commit
      ok('g', 'pipeline', 'Blog', '--operators', 'greet')
      ok('g', 'workflow', 'BlogPipeline', '--force')
      expect(read('restack.yaml')).not.to.include('blogPipeline')
      expect(read('src/workflows/blogPipeline.ts')).to.include('export async function blogPipelineWorkflow')
    })

    it('refuses to replace a unit of another kind that something still uses, even with --force', () => {
      refuses(['g', 'agent', 'Greet', '--force'], /^Error: "Greet" is taken by the function "greet" \(src\/functions\/greet\.ts\), and generating an agent under that name would replace it, but that function is still used: greet \(function\) is used by src\/agents\/greeter\.ts\. .*refused even with --force; nothing was written/)
    })

    it('refuses other limits on a queue that has them, instead of ignoring them', () => {
      ok('g', 'function', 'ChargeCard', '--task-queue', 'payments', '--rate-limit', '5')
      refuses(['g', 'function', 'Refund', '--task-queue', 'payments', '--rate-limit', '10'], /Task queue "payments" already has a service in src\/services\.ts with rateLimit 5, and --rate-limit 10 would change the limits of every function on it \(chargeCard\)/)
      ok('g', 'function', 'Refund', '--task-queue', 'payments', '--rate-limit', '5')
    })

    it('sends events by the names typed, and refuses names that would be one constant', () => {
      ok('g', 'agent', 'Support', '--events', 'user-feedback')
      expect(read('src/agents/support.ts')).to.include('const userFeedbackEvent = defineEvent<SupportReceipt>("user-feedback");')
      expect(read('test/agents/support.test.ts')).to.include('{ event: "user-feedback"')
      refuses(['g', 'agent', 'Billing', '--events', 'user-feedback,userFeedback'], /--events has "user-feedback" and "userFeedback", which are one constant in the agent \("user-feedback" -> userFeedbackEvent, "userFeedback" -> userFeedbackEvent\)/)
      refuses(['g', 'agent', 'Billing', '--events', 'on'], /its handler constant would be "onEvent" \("on" -> onEvent\)/)
    })
  })

  describe('destroy knows who uses a unit', () => {
    it('refuses to destroy a pipeline whose steps another pipeline calls, and a function a pipeline uses, unless --force', () => {
      ok('g', 'pipeline', 'Blog', '--operators', 'Draft ⇄ Review', '--scaffold-missing')
      ok('g', 'pipeline', 'News', '--operators', 'Draft → Publish', '--scaffold-missing')
      refuses(['d', 'pipeline', 'Blog'], /Destroying the pipeline "blogPipeline" would leave references to it behind: draft \(function\) is used by restack\.yaml: pipelines\.newsPipeline, src\/workflows\/newsPipeline\.ts\..*--force/)
      refuses(['d', 'function', 'Publish'], /publish \(function\) is used by restack\.yaml: pipelines\.newsPipeline, src\/workflows\/newsPipeline\.ts/)
      ok('d', 'pipeline', 'News')
      ok('d', 'pipeline', 'Blog')
    })

    it('sees step and child calls in agents and workflows', () => {
      ok('g', 'workflow', 'Report')
      ok('g', 'workflow', 'Nightly')
      writeFileSync(
        join(root, 'src/workflows/nightly.ts'),
        `import type * as functions from "../functions";\nimport { childExecute, step } from "../restack/workflow";\nimport { reportWorkflow } from "./report";\n\nexport async function nightlyWorkflow(): Promise<void> {\n  await step<typeof functions>({}).greet({ name: "x" });\n  await childExecute({ child: reportWorkflow, childId: "r" });\n}\n`,
      )
      refuses(['d', 'function', 'greet'], /greet \(function\) is used by src\/agents\/greeter\.ts, src\/workflows\/nightly\.ts/)
      refuses(['d', 'workflow', 'Report'], /report \(workflow\) is used by src\/workflows\/nightly\.ts/)
      // the agent that imports the runtime's "condition" does not use a function named condition
      ok('g', 'function', 'Condition')
      ok('d', 'function', 'Condition')
      ok('d', 'workflow', 'Report', '--force')
    })
  })
})
