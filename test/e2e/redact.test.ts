import {expect} from 'chai'
import {join} from 'node:path'

import {runCli} from '../helpers/cli.js'
import {snapshot, useTempDir} from '../helpers/fs.js'

// Regression (issue 12): redaction by value covers every command's errors, in text and --json.
describe('errors never print a secret', () => {
  const dir = useTempDir('restack-redact-e2e-')

  it('a secret that reaches an error message is redacted, in text and --json', () => {
    expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path}).status).to.equal(0)
    const root = join(dir.path, 'demo')
    const secret = 'sk-live-0123456789abcdef'
    const before = snapshot(root)
    for (const json of [[], ['--json']]) {
      const result = runCli(['g', 'prompt', 'Ask', '--version', secret, ...json], {cwd: root, env: {OPENAI_API_KEY: secret}})
      expect(result.status).to.equal(1)
      expect(result.stdout + result.stderr).not.to.include(secret)
      expect(result.stdout + result.stderr).to.include('<redacted OPENAI_API_KEY>')
    }

    expect(snapshot(root)).to.deep.equal(before)
  })
})
