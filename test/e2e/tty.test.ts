import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {BIN, runCli} from '../helpers/cli.js'
import {useTempDir} from '../helpers/fs.js'

/** Runs the CLI on a real pseudo-terminal (util-linux `script`), answering each question as it appears. */
async function runOnTty(args: string[], cwd: string, answers: string[]): Promise<{output: string; status: null | number}> {
  const command = [process.execPath, BIN, ...args].map((part) => `'${part.replaceAll("'", "'\\''")}'`).join(' ')
  const child = spawn('script', ['-qfec', command, '/dev/null'], {cwd, env: {...process.env, COLUMNS: '200'}, stdio: ['pipe', 'pipe', 'pipe']})
  let output = ''
  let asked = 0
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8')
    const questions = output.split('?').length - 1
    while (asked < Math.min(questions, answers.length)) child.stdin.write(`${answers[asked++]}\r`)
  })
  const status = await new Promise<null | number>((resolve) => {
    child.on('close', resolve)
  })
  // What a person reads: no colour or cursor codes, lines joined (the prompt wraps at the pty width).
  const text = output.replaceAll(/\u001B\[[\d;?]*[A-Za-z]/g, '').replaceAll(/\s+/g, ' ')
  return {output: text, status}
}

describe('on a terminal', () => {
  const dir = useTempDir()
  let root: string
  beforeEach(() => {
    expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path}).status).to.equal(0)
    root = join(dir.path, 'demo')
  })

  it('asks before overwriting a file that differs, and keeps it on "no"', async () => {
    writeFileSync(join(root, 'src/functions/sendEmail.ts'), '// mine\n')
    const {output, status} = await runOnTty(['g', 'function', 'SendEmail'], root, ['n'])
    expect(status).to.equal(0)
    expect(output).to.match(/src\/functions\/sendEmail\.ts differs from what restack generates\. Overwrite it\?/)
    expect(output).to.match(/skip src\/functions\/sendEmail\.ts/)
    expect(readFileSync(join(root, 'src/functions/sendEmail.ts'), 'utf8')).to.equal('// mine\n')
    expect(readFileSync(join(root, 'src/functions/index.ts'), 'utf8')).to.include('./sendEmail')
  })

  it('asks before deleting a file the user changed, and deletes it on "yes"', async () => {
    expect(runCli(['g', 'workflow', 'Onboarding'], {cwd: root}).status).to.equal(0)
    writeFileSync(join(root, 'src/workflows/onboarding.ts'), readFileSync(join(root, 'src/workflows/onboarding.ts'), 'utf8') + '// mine\n')
    const {output, status} = await runOnTty(['d', 'workflow', 'Onboarding'], root, ['y'])
    expect(status).to.equal(0)
    expect(output).to.match(/src\/workflows\/onboarding\.ts was changed since it was generated\. Delete it anyway\?/)
    expect(readFileSync(join(root, 'src/workflows/index.ts'), 'utf8')).not.to.include('./onboarding')
  })

  it('asks before replacing a unit of another kind under the name: keeps it on "no", replaces it on "yes"', async () => {
    expect(runCli(['g', 'agent', 'Support'], {cwd: root}).status).to.equal(0)
    const kept = await runOnTty(['g', 'workflow', 'Support'], root, ['n'])
    expect(kept.status).to.equal(0)
    expect(kept.output).to.match(/The name is taken by the agent "support": replacing the agent "support" with the workflow "support" deletes .*src\/agents\/support\.ts; .*Replace it\?/)
    expect(kept.output).to.match(/skip src\/agents\/support\.ts/)
    expect(readFileSync(join(root, 'src/agents/index.ts'), 'utf8')).to.include('./support')
    const replaced = await runOnTty(['g', 'workflow', 'Support'], root, ['y'])
    expect(replaced.status).to.equal(0)
    expect(readFileSync(join(root, 'src/agents/index.ts'), 'utf8')).not.to.include('./support')
    expect(readFileSync(join(root, 'src/workflows/index.ts'), 'utf8')).to.include('./support')
  })

  it('asks for a missing name, then generates it', async () => {
    const {output, status} = await runOnTty(['g', 'function'], root, ['Send email'])
    expect(status).to.equal(0)
    expect(output).to.match(/Name \(name in any case: "send email", SendEmail, send-email\)\?/)
    expect(output).to.match(/create src\/functions\/sendEmail\.ts/)
    expect(readFileSync(join(root, 'src/functions/index.ts'), 'utf8')).to.include('./sendEmail')
  })
})
