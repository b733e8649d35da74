import {expect} from 'chai'
import {cpSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync} from 'node:fs'
import {spawn} from 'node:child_process'
import {join} from 'node:path'
import {setTimeout as delay} from 'node:timers/promises'

import {BIN, errorText, isOneParagraph, REPO_ROOT, runCli} from '../helpers/cli.js'
import {withLock} from '../../src/engine/lock.js'
import {snapshot, useTempDir} from '../helpers/fs.js'

/**
 * Regressions for the adversarial review of restack init, restack runtime, restack mcp and the agent
 * verbs. Every test here failed on the code it was written against (base 641f9c0).
 */
const FIXTURES = join(REPO_ROOT, 'test/fixtures/adopt')

describe('attack-2: init, runtime, mcp and agent verbs under an adversary', () => {
  const dir = useTempDir()

  describe('restack init', () => {
    it('checks again inside the lock: an init that waited while another adopted the project refuses instead of overwriting that restack.yaml', async () => {
      const root = join(dir.path, 'todo')
      cpSync(join(FIXTURES, 'todo'), root, {recursive: true})
      // what another "restack init --runtime bundled" writes, made beside it
      const made = join(dir.path, 'made')
      cpSync(join(FIXTURES, 'todo'), made, {recursive: true})
      expect(runCli(['init', '--runtime', 'bundled'], {cwd: made}).status).to.equal(0)
      mkdirSync(join(root, '.restack'))
      const waiting = await withLock(root, async () => {
        const child = spawn(process.execPath, [BIN, 'init', '--runtime', 'restackio'], {cwd: root, stdio: ['ignore', 'pipe', 'pipe']})
        let stderr = ''
        child.stderr.on('data', (chunk) => (stderr += chunk))
        const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
        // the child has passed its first check and waits for the lock: it holds a claim beside ours
        const deadline = Date.now() + 20_000
        while (readdirSync(join(root, '.restack/lock')).length < 2 && Date.now() < deadline) await delay(20)
        // the other init commits while this one waits
        for (const path of ['restack.yaml', '.restack/ledger.json']) cpSync(join(made, path), join(root, path))
        return {exited, stderr: () => stderr}
      })
      expect(await waiting.exited, waiting.stderr()).to.equal(1)
      expect(errorText(waiting.stderr())).to.include('is already a restack project')
      expect(readFileSync(join(root, 'restack.yaml'), 'utf8')).to.equal(readFileSync(join(made, 'restack.yaml'), 'utf8')).and.include('runtime: bundled')
    })

    for (const queue of ['bad queue!', '']) {
      it(`refuses a first startService on the queue ${JSON.stringify(queue)}, which restack.yaml could not hold, writing nothing`, () => {
        const root = join(dir.path, 'todo')
        cpSync(join(FIXTURES, 'todo'), root, {recursive: true})
        const services = readFileSync(join(root, 'src/services.ts'), 'utf8')
        writeFileSync(join(root, 'src/services.ts'), services.replace('agentsPath: agentsPath,', `agentsPath: agentsPath, taskQueue: ${JSON.stringify(queue)},`))
        const before = snapshot(root)
        const result = runCli(['init'], {cwd: root})
        expect(result.status, result.stdout).to.equal(1)
        expect(errorText(result.stderr)).to.include(JSON.stringify(queue)).and.include('src/services.ts')
        expect(isOneParagraph(result.stderr)).to.equal(true)
        expect(snapshot(root)).to.deep.equal(before)
      })
    }
  })

  describe('names that are Object.prototype members', () => {
    it('generates and destroys a workflow "toString", an agent "valueOf" and a function "constructor" (no clash with a built-in), leaving the project as it was', () => {
      expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path}).status).to.equal(0)
      const root = join(dir.path, 'demo')
      const before = snapshot(root)
      for (const [kind, name] of [['workflow', 'toString'], ['agent', 'valueOf'], ['function', 'constructor']]) {
        const made = runCli(['g', kind, name], {cwd: root})
        expect(made.status, `g ${kind} ${name}: ${made.stderr}`).to.equal(0)
        expect(made.stderr).to.not.include('native code')
      }

      const listed = JSON.parse(runCli(['list', '--json'], {cwd: root}).stdout) as Record<string, Array<{name: string}>>
      expect(JSON.stringify(listed)).to.include('toString').and.include('valueOf').and.include('constructor')
      for (const [kind, name] of [['function', 'constructor'], ['agent', 'valueOf'], ['workflow', 'toString']]) expect(runCli(['d', kind, name], {cwd: root}).status).to.equal(0)
      expect(snapshot(root)).to.deep.equal(before)
    })
  })

  describe('restack mcp', () => {
    /** Calls one tool of `restack mcp` on stdio in `cwd` and returns its result. */
    async function callTool(cwd: string, name: string, args: Record<string, unknown>): Promise<{content: Array<{text: string}>; isError?: boolean}> {
      const child = spawn(process.execPath, [BIN, 'mcp'], {cwd, stdio: ['pipe', 'pipe', 'ignore']})
      const replies = new Map<number, (message: {result: {content: Array<{text: string}>; isError?: boolean}}) => void>()
      let buffer = ''
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk
        for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
          const message = JSON.parse(buffer.slice(0, end))
          buffer = buffer.slice(end + 1)
          replies.get(message.id)?.(message)
        }
      })
      const rpc = (id: number, method: string, params: unknown) =>
        new Promise<{result: {content: Array<{text: string}>; isError?: boolean}}>((resolve) => {
          replies.set(id, resolve)
          child.stdin.write(JSON.stringify({id, jsonrpc: '2.0', method, params}) + '\n')
        })
      try {
        await rpc(1, 'initialize', {capabilities: {}, clientInfo: {name: 'attack', version: '1'}, protocolVersion: '2025-06-18'})
        child.stdin.write(JSON.stringify({jsonrpc: '2.0', method: 'notifications/initialized'}) + '\n')
        return (await rpc(2, 'tools/call', {arguments: args, name})).result
      } finally {
        child.kill()
      }
    }

    it('refuses a forged planId whose options are null or a list as "not a planId", writing nothing', async () => {
      expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path}).status).to.equal(0)
      const root = join(dir.path, 'demo')
      const before = snapshot(root)
      for (const options of [null, [1]]) {
        const spec = Buffer.from(JSON.stringify({kind: 'function', mode: 'generate', name: 'Forged', options})).toString('base64url')
        const result = await callTool(root, 'apply', {planId: `${spec}.0123456789abcdef0123456789abcdef`})
        expect(result.isError).to.equal(true)
        expect(result.content[0].text).to.match(/^planId: .* is not a planId/)
        expect(result.content[0].text).to.not.include('unexpected')
      }

      expect(snapshot(root)).to.deep.equal(before)
    })
  })

  describe('restack runtime', () => {
    it('rewrites the imports under a src/ that is a link to a folder inside the project, and back to the same bytes', () => {
      expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path}).status).to.equal(0)
      const root = join(dir.path, 'demo')
      mkdirSync(join(root, 'app'))
      renameSync(join(root, 'src'), join(root, 'app/src'))
      symlinkSync('app/src', join(root, 'src'))
      const before = snapshot(root)
      const there = runCli(['runtime', 'restackio'], {cwd: root})
      expect(there.status, there.stderr).to.equal(0)
      expect(readFileSync(join(root, 'app/src/agents/greeter.ts'), 'utf8')).to.include('"@restackio/ai/agent"').and.not.include('"../restack/agent"')
      expect(readFileSync(join(root, 'app/src/functions/greet.ts'), 'utf8')).to.include('"@restackio/ai/function"')
      const back = runCli(['runtime', 'bundled'], {cwd: root})
      expect(back.status, back.stderr).to.equal(0)
      expect(snapshot(root)).to.deep.equal(before)
    })

    it('rewrites require("../restack/function") with the imports (it was left on the bundled runtime without a notice), and nothing in comments or strings', () => {
      expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path}).status).to.equal(0)
      const root = join(dir.path, 'demo')
      const hand = [
        '// import { log } from "../restack/function";',
        "import { log as L } from '../restack/function'",
        'const s = `import { log } from "../restack/function"`;',
        'const r = "../restack/function";',
        'const req = require("../restack/function");',
        'export const all = [s, r, req, L];',
        '',
      ].join('\n')
      writeFileSync(join(root, 'src/functions/hand.ts'), hand)
      const before = snapshot(root)
      expect(runCli(['runtime', 'restackio'], {cwd: root}).status).to.equal(0)
      expect(readFileSync(join(root, 'src/functions/hand.ts'), 'utf8')).to.equal(
        hand.replace("'../restack/function'", "'@restackio/ai/function'").replace('require("../restack/function")', 'require("@restackio/ai/function")'),
      )
      expect(runCli(['runtime', 'bundled'], {cwd: root}).status).to.equal(0)
      expect(snapshot(root)).to.deep.equal(before)
    })

    it('reads a .tsx file (JSX) and still reads `<T>value` in a .ts file; a syntax error is one sentence', () => {
      expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path}).status).to.equal(0)
      const root = join(dir.path, 'demo')
      writeFileSync(join(root, 'src/functions/view.tsx'), 'import { log } from "../restack/function";\nexport const View = () => <div title="x">{String(log)}</div>;\n')
      writeFileSync(join(root, 'src/functions/cast.ts'), 'import { log } from "../restack/function";\nexport const c = <unknown>log;\n')
      const there = runCli(['runtime', 'restackio'], {cwd: root})
      expect(there.status, there.stderr).to.equal(0)
      expect(readFileSync(join(root, 'src/functions/view.tsx'), 'utf8')).to.include('"@restackio/ai/function"')
      expect(readFileSync(join(root, 'src/functions/cast.ts'), 'utf8')).to.include('"@restackio/ai/function"')
      writeFileSync(join(root, 'src/functions/broken.tsx'), 'export const x = <div>;\n')
      const before = snapshot(root)
      const broken = runCli(['runtime', 'bundled'], {cwd: root})
      expect(broken.status).to.equal(1)
      expect(errorText(broken.stderr)).to.include('"src/functions/broken.tsx" does not parse').and.not.include('..')
      expect(snapshot(root)).to.deep.equal(before)
    })
  })
})
