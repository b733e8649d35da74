import {expect} from 'chai'
import {join} from 'node:path'

import {errorText, isOneParagraph, runCli} from '../helpers/cli.js'
import {snapshot, useTempDir} from '../helpers/fs.js'
import {linkPlugins} from '../helpers/plugins.js'

describe('restack g agent --llm --tools without the plugins', () => {
  const dir = useTempDir('restack-agent-llm-')

  it('names the plugins to install in one paragraph, exits non-zero and writes nothing', () => {
    // a data dir with no plugins linked: the core CLI alone
    const env = linkPlugins(join(dir.path, 'data'), [])
    expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path, env}).status).to.equal(0)
    const root = join(dir.path, 'demo')
    const before = snapshot(root)
    for (const args of [['g', 'agent', 'Support', '--llm', '--tools', 'research'], ['generate:agent', 'Support', '--llm', '--tools', 'research', '--json']]) {
      const result = runCli(args, {cwd: root, env})
      expect(result.status, args.join(' ')).to.equal(1)
      const text = args.includes('--json') ? JSON.parse(result.stdout).error.message : errorText(result.stderr)
      expect(text).to.include('restack plugins install @restack/plugin-llm @restack/plugin-tools').and.to.include('nothing was written')
      if (!args.includes('--json')) expect(isOneParagraph(result.stderr), result.stderr).to.equal(true)
      expect(snapshot(root)).to.deep.equal(before)
    }
  })

  it('refuses --tools without --llm, --llm without --tools, and --events with --llm, as usage errors', () => {
    const env = linkPlugins(join(dir.path, 'data'), [])
    expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path, env}).status).to.equal(0)
    const root = join(dir.path, 'demo')
    const before = snapshot(root)
    for (const [args, message] of [
      [['--tools', 'research'], /--tools and --max-turns belong to the LLM agent loop, which --llm asks for\. Add --llm/],
      [['--llm'], /--llm writes an agent whose LLM may call the tools of one tool server, and names none: add --tools <server>/],
      [['--llm', '--tools', 'research', '--events', 'a'], /--llm=true cannot also be provided when using --events/],
    ] as const) {
      const result = runCli(['g', 'agent', 'Support', ...args], {cwd: root, env})
      expect(result.status, args.join(' ')).to.equal(2)
      expect(errorText(result.stderr)).to.match(message)
    }

    expect(snapshot(root)).to.deep.equal(before)
  })
})
