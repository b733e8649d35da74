import {expect} from 'chai'
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import {AddressInfo, createServer} from 'node:net'
import {join} from 'node:path'

import {REPO_ROOT, runCli} from '../helpers/cli.js'
import {snapshot, tempDir} from '../helpers/fs.js'
import {installProject} from '../helpers/install.js'
import {linkPlugins} from '../helpers/plugins.js'
import {freePort} from '../helpers/ports.js'
import {assertMatchesSchema} from '../helpers/schema.js'

interface Finding {
  code: string
  fix: string
  fixable: boolean
  message: string
  rule: string
  severity: string
}

describe('restack doctor', function () {
  this.timeout(600_000)
  let dir: ReturnType<typeof tempDir>
  let root: string
  let engine: string

  before(async () => {
    dir = tempDir('restack-doctor-')
    expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path}).status).to.equal(0)
    root = join(dir.path, 'demo')
    await installProject(root)
    engine = `127.0.0.1:${await freePort()}`
  })
  after(() => dir?.cleanup())

  /** doctor --json in the project, with no engine running at RESTACK_ENGINE_ADDRESS. */
  const doctor = (...args: string[]) => {
    // the type-check (on by default in an installed project) has its own tests below
    const result = runCli(['doctor', '--json', ...args], {cwd: root, env: {RESTACK_DOCTOR_TYPECHECK: '0', RESTACK_ENGINE_ADDRESS: engine}})
    const json = JSON.parse(result.stdout)
    assertMatchesSchema('doctor-result', json)
    return {findings: json.findings as Finding[], json, status: result.status}
  }

  /** Breaks the project, runs doctor, and puts every file back as it was. */
  const withBroken = (files: Record<string, null | string>, check: (report: ReturnType<typeof doctor>) => void) => {
    const before = snapshot(root)
    const originals = Object.fromEntries(Object.keys(files).map((file) => [file, readFileOrNull(join(root, file))]))
    try {
      for (const [file, content] of Object.entries(files)) {
        if (content === null) rmSync(join(root, file), {force: true})
        else writeFileSync(join(root, file), content)
      }

      check(doctor())
    } finally {
      for (const [file, content] of Object.entries(originals)) {
        if (content === null) rmSync(join(root, file), {force: true})
        else writeFileSync(join(root, file), content)
      }
    }

    expect(snapshot(root)).to.deep.equal(before)
  }

  const only = (findings: Finding[], code: string): Finding => {
    const matching = findings.filter((finding) => finding.code === code)
    expect(matching, JSON.stringify(findings, null, 2)).to.have.length(1)
    return matching[0]
  }

  it('finds no errors in a fresh project, only a warning that the engine is not running, and exits 0', () => {
    const {findings, json, status} = doctor()
    expect(status).to.equal(0)
    expect(json.ok).to.equal(true)
    expect(findings.map((finding) => finding.code)).to.deep.equal(['engine/unreachable'])
    expect(only(findings, 'engine/unreachable')).to.include({severity: 'warn'})
    expect(only(findings, 'engine/unreachable').fix).to.match(/temporal server start-dev/)
    expect(json.rules).to.include.members(['node-version', 'project-config', 'sources', 'registrations', 'dependencies', 'environment', 'engine'])
  })

  it('prints findings grouped by severity with the fix under each', () => {
    const result = runCli(['doctor'], {cwd: root, env: {RESTACK_ENGINE_ADDRESS: engine}})
    expect(result.status).to.equal(0)
    expect(result.stdout).to.match(/^Warnings \(1\)\n {2}! Nothing answers at 127\.0\.0\.1:\d+.*\[engine\/unreachable\]\n {4}fix: Start it with "temporal server start-dev"/m)
    expect(result.stdout).to.match(/0 errors, 1 warning, 0 notes \(\d+ checks\)\./)
  })

  it('reports a corrupt restack.yaml with the path of the bad key', () => {
    const yaml = readFileSync(join(root, 'restack.yaml'), 'utf8')
    withBroken({'restack.yaml': yaml.replace('pipelineLoopMax: 3', 'pipelineLoopMax: many')}, ({findings, status}) => {
      expect(status).to.equal(1)
      const finding = only(findings, 'project/invalid-config')
      expect(finding.severity).to.equal('error')
      expect(finding.message).to.match(/restack\.yaml is invalid at "defaults\.pipelineLoopMax"/)
      expect(finding.fix).to.match(/Fix that key/)
    })
  })

  it('reports a services.ts that does not parse, with its position', () => {
    withBroken({'src/services.ts': 'import { greet } from "./functions"\nconst = ;\n'}, ({findings, status}) => {
      expect(status).to.equal(1)
      const finding = only(findings, 'sources/syntax-error')
      expect(finding.message).to.match(/"src\/services\.ts" does not parse at line 2, column 7/)
      expect(finding.fix).to.equal('Fix the syntax error in src/services.ts.')
    })
  })

  it('reports a deleted file whose registration remains', () => {
    withBroken({'src/functions/greet.ts': null}, ({findings, status}) => {
      expect(status).to.equal(1)
      const finding = only(findings, 'registration/missing-file')
      expect(finding).to.include({fixable: false, severity: 'error'})
      expect(finding.message).to.equal('src/functions/index.ts exports "./greet", but src/functions/greet.ts does not exist.')
      expect(finding.fix).to.match(/Restore src\/functions\/greet\.ts, or remove its line from src\/functions\/index\.ts and src\/services\.ts/)
    })
  })

  it('reports a function left out of services.ts and a file left out of its barrel, and --fix repairs both', () => {
    const services = readFileSync(join(root, 'src/services.ts'), 'utf8')
    const before = snapshot(root)
    writeFileSync(join(root, 'src/services.ts'), services.replace('functions: { greet }', 'functions: {}').replace('import { greet } from "./functions";\n', ''))
    writeFileSync(join(root, 'src/agents/index.ts'), '')
    const broken = doctor()
    expect(broken.status).to.equal(1)
    expect(only(broken.findings, 'registration/missing-service')).to.include({fixable: true, severity: 'error'})
    expect(only(broken.findings, 'registration/missing-service').fix).to.match(/Add greet to the functions of the "restack" service in src\/services\.ts/)
    expect(only(broken.findings, 'registration/missing-barrel-export').message).to.match(/src\/agents\/greeter\.ts is not exported from src\/agents\/index\.ts/)

    const brokenState = snapshot(root)
    const dry = runCli(['doctor', '--fix', '--dry-run'], {cwd: root, env: {RESTACK_ENGINE_ADDRESS: engine}})
    expect(dry.stdout).to.match(/update {2}src\/services\.ts/).and.match(/update {2}src\/agents\/index\.ts/).and.match(/Dry run: nothing was written/)
    expect(snapshot(root)).to.deep.equal(brokenState)

    const fixed = doctor('--fix')
    expect(fixed.status).to.equal(0)
    expect(fixed.json.fixed.map((file: {path: string}) => file.path).sort()).to.deep.equal(['src/agents/index.ts', 'src/services.ts'])
    expect(fixed.findings.map((finding) => finding.code)).to.deep.equal(['engine/unreachable'])
    expect(readFileSync(join(root, 'src/services.ts'), 'utf8')).to.match(/functions: \{ greet \}/)
    writeFileSync(join(root, 'src/services.ts'), services)
    writeFileSync(join(root, 'src/agents/index.ts'), 'export * from "./greeter";\n')
    expect(snapshot(root)).to.deep.equal(before)
  })

  it('--fix checks its own work: repairs that make the project stop type-checking are rolled back, every byte', () => {
    // extra.ts is a function module left out of the barrel and services.ts, and it also exports greet:
    // the repairs (its barrel export, its registration) make "export *" ambiguous (TS2308).
    const clean = snapshot(root)
    writeFileSync(join(root, 'src/functions/extra.ts'), 'export const greet = async () => "again";\nexport const extra = async () => 1;\n')
    try {
      const broken = snapshot(root)
      const result = runCli(['doctor', '--fix', '--json'], {cwd: root, env: {RESTACK_ENGINE_ADDRESS: engine}})
      const json = JSON.parse(result.stdout)
      assertMatchesSchema('doctor-result', json)
      expect(json.fixed.map((file: {path: string}) => file.path).sort()).to.deep.equal(['src/functions/index.ts', 'src/services.ts'])
      expect(json.rolledBack).to.equal(true)
      expect(result.status).to.equal(1)
      expect(json.findings.map((finding: Finding) => finding.code)).to.include('registration/missing-barrel-export')
      expect(snapshot(root)).to.deep.equal(broken)
    } finally {
      rmSync(join(root, 'src/functions/extra.ts'), {force: true})
    }

    expect(snapshot(root)).to.deep.equal(clean)
  })

  it('reports a variable the code reads that is not set, until .env sets it', () => {
    const code = 'export const key = () => process.env.SENDGRID_KEY;\n'
    withBroken({'src/functions/mailer.ts': code}, ({findings, status}) => {
      expect(status).to.equal(1)
      const finding = only(findings, 'environment/missing-variable')
      expect(finding.message).to.equal('SENDGRID_KEY is read at src/functions/mailer.ts:1 but is not set in the environment or .env.')
      expect(finding.fix).to.match(/^Set SENDGRID_KEY in \.env/)
    })
    withBroken({'.env': 'SENDGRID_KEY=abc\n', 'src/functions/mailer.ts': code}, ({findings}) => {
      expect(findings.map((finding) => finding.code)).not.to.include('environment/missing-variable')
    })
  })

  it('reports misaligned @temporalio versions', () => {
    const pkg = readFileSync(join(root, 'package.json'), 'utf8')
    withBroken({'package.json': pkg.replace(/"@temporalio\/client": "[^"]+"/, '"@temporalio/client": "1.23.0"')}, ({findings, status}) => {
      expect(status).to.equal(1)
      const finding = only(findings, 'dependencies/temporal-misaligned')
      expect(finding.message).to.match(/@temporalio\/client 1\.23\.0/)
      expect(finding.fix).to.match(/Pin every @temporalio package to one version.*npm install/)
    })
  })

  it('runs rules a plugin contributes through the restack:doctor hook', () => {
    const linked = linkPlugins(join(dir.path, 'data'), [{name: 'restack-fixture-plugin', root: join(REPO_ROOT, 'test/fixtures/plugin')}])
    const result = runCli(['doctor', '--json'], {cwd: root, env: {FIXTURE_PROBLEM: 'a problem', ...linked, RESTACK_ENGINE_ADDRESS: engine}})
    const json = JSON.parse(result.stdout)
    expect(json.rules).to.include('fixture')
    expect(json.findings.find((finding: Finding) => finding.code === 'fixture/problem')).to.include({fix: 'Unset FIXTURE_PROBLEM.', rule: 'fixture', severity: 'warn'})
  })

  // Regression (issue 12): doctor printed an API key that reached a message through another key.
  it('redacts by value: a secret variable, or what a secret config key receives, never shows in text or --json', () => {
    const linked = linkPlugins(join(dir.path, 'data'), [{name: 'restack-fixture-plugin', root: join(REPO_ROOT, 'test/fixtures/plugin')}])
    const key = 'sk-proj-regression-0123456789'
    for (const format of [['--json'], []]) {
      const result = runCli(['doctor', ...format], {cwd: root, env: {FIXTURE_PROBLEM: `base_url ${JSON.stringify(key)}`, ...linked, OPENAI_API_KEY: key, RESTACK_ENGINE_ADDRESS: engine}})
      expect(result.stdout + result.stderr).not.to.include(key)
      expect(result.stdout).to.include('<redacted OPENAI_API_KEY>')
    }

    withBroken({'.env': 'PROVIDER_CRED=cred-from-dot-env\n', 'config/extra.yaml': 'provider:\n  api_key: ${PROVIDER_CRED}\n'}, () => {
      const result = runCli(['doctor', '--json'], {cwd: root, env: {FIXTURE_PROBLEM: 'cred-from-dot-env', ...linked, RESTACK_ENGINE_ADDRESS: engine}})
      expect(result.stdout).not.to.include('cred-from-dot-env')
      expect(JSON.parse(result.stdout).findings.find((finding: Finding) => finding.code === 'fixture/problem').message).to.equal('The fixture plugin sees <redacted PROVIDER_CRED>.')
    })
  })

  it('runs the type-check with --typecheck and reports its first error', () => {
    withBroken({'src/functions/broken.ts': 'export const broken: number = "text";\n'}, () => {
      const result = runCli(['doctor', '--json', '--typecheck'], {cwd: root, env: {RESTACK_ENGINE_ADDRESS: engine}})
      const finding = JSON.parse(result.stdout).findings.find((candidate: Finding) => candidate.code === 'typecheck/failed')
      expect(result.status).to.equal(1)
      expect(finding.message).to.match(/1 error: src\/functions\/broken\.ts:1:14 TS2322/)
    })
  })

  it('runs the type-check by default in an installed project: exit 1, naming the file and the line', () => {
    withBroken({'src/functions/broken.ts': 'export const broken: number = "text";\n'}, () => {
      const result = runCli(['doctor'], {cwd: root, env: {RESTACK_ENGINE_ADDRESS: engine}})
      expect(result.status).to.equal(1)
      expect(result.stdout + result.stderr).to.match(/src\/functions\/broken\.ts:1:14 TS2322/)
    })
  })

  it('reports pipeline drift and a missing step', () => {
    const config = readFileSync(join(root, 'restack.yaml'), 'utf8')
    withBroken(
      {
        'restack.yaml': `${config}pipelines:\n  fooPipeline:\n    operators: "greet → gone"\n`,
        'src/workflows/fooPipeline.ts': '// Pipeline fooPipeline, compiled by restack-gen from:\n//   greet\nexport async function fooPipeline(): Promise<void> {}\n',
      },
      ({findings, status}) => {
        expect(status).to.equal(1)
        expect(only(findings, 'pipeline/drift').message).to.equal('src/workflows/fooPipeline.ts was compiled from "greet", but restack.yaml says pipelines.fooPipeline is "greet → gone".')
        expect(only(findings, 'pipeline/missing-step').message).to.match(/The pipeline fooPipeline \("greet → gone"\): The step "gone" \(column 9\) is not an agent, workflow or function of this project/)
      },
    )
  })

  it('reports dangling references and duplicate exports in a barrel', () => {
    const barrel = readFileSync(join(root, 'src/functions/index.ts'), 'utf8')
    withBroken(
      {
        'src/functions/a.ts': 'export const a = async () => 1;\nexport type Shared = string;\n',
        'src/functions/b.ts': 'export const b = async () => 2;\nexport type Shared = number;\n',
        'src/functions/index.ts': `${barrel}export * from "./a";\nexport * from "./b";\n`,
        'src/workflows/nightly.ts': 'import type * as functions from "../functions";\nimport { step } from "../restack/workflow";\nimport { reportWorkflow } from "./report";\nexport async function nightlyWorkflow() {\n  await step<typeof functions>({}).gone({});\n  return reportWorkflow;\n}\n',
      },
      ({findings, status}) => {
        expect(status).to.equal(1)
        expect(only(findings, 'barrel/duplicate-export').message).to.equal('src/functions/a.ts and src/functions/b.ts both export Shared, so src/functions/index.ts ("export * from ...") exports neither and the project does not compile (TS2308).')
        expect(only(findings, 'references/missing-function').message).to.equal('src/workflows/nightly.ts calls the function gone, which the project does not have.')
        expect(only(findings, 'references/missing-module').message).to.equal('src/workflows/nightly.ts imports "./report", but src/workflows/report.ts does not exist.')
      },
    )
  })

  it('reports dependencies that are not installed', () => {
    expect(runCli(['new', 'bare', '--skip-install', '--skip-git'], {cwd: dir.path}).status).to.equal(0)
    const result = runCli(['doctor', '--json'], {cwd: join(dir.path, 'bare'), env: {RESTACK_ENGINE_ADDRESS: engine}})
    expect(result.status).to.equal(1)
    expect(JSON.parse(result.stdout).findings.find((finding: Finding) => finding.code === 'dependencies/not-installed')).to.include({fix: 'Run "npm install" in the project.', severity: 'error'})
  })

  it('has no engine warning when the engine answers', async () => {
    const server = createServer((socket) => socket.end())
    await new Promise<void>((resolve) => {
      server.listen(0, '127.0.0.1', resolve)
    })
    try {
      const address = `127.0.0.1:${(server.address() as AddressInfo).port}`
      const result = runCli(['doctor', '--json'], {cwd: root, env: {RESTACK_ENGINE_ADDRESS: address}})
      expect(result.status).to.equal(0)
      expect(JSON.parse(result.stdout).findings).to.deep.equal([])
    } finally {
      server.close()
    }
  })

  it('says outside a project that there is none', () => {
    const result = runCli(['doctor', '--json'], {cwd: dir.path})
    expect(result.status).to.equal(1)
    expect(JSON.parse(result.stdout).findings.map((finding: Finding) => finding.code)).to.deep.equal(['project/not-found'])
  })
})

function readFileOrNull(path: string): null | string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return null
  }
}
