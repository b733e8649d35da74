import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {mkdirSync, readdirSync, readFileSync, symlinkSync} from 'node:fs'
import {join} from 'node:path'

import {BIN, REPO_ROOT} from '../helpers/cli.js'
import {useTempDir} from '../helpers/fs.js'

/**
 * Docs that run: a shell block in README.md or docs/*.md whose fence line follows a marker comment
 *   <!-- runnable -->                  runs in an empty directory
 *   <!-- runnable: in a new project --> runs inside `restack new my-agent --skip-install --skip-git`
 * is run by bash (set -euo pipefail) with the built `restack` on PATH, so a wrong command in the docs
 * fails this test. The marker must be right above a ```sh or ```bash fence.
 */
interface Block {
  code: string
  file: string
  /** the line of the first command, 1-based */
  line: number
  setup: 'empty' | 'project'
}

const MARKER = /^<!--\s*runnable(?::\s*(.*?))?\s*-->\s*$/

export function runnableBlocks(file: string, text: string): Block[] {
  const lines = text.split('\n')
  const blocks: Block[] = []
  for (let index = 0; index < lines.length; index++) {
    const marker = MARKER.exec(lines[index])
    if (!marker) continue
    const where = `${file}:${index + 1}`
    if (marker[1] !== undefined && marker[1] !== 'in a new project') throw new Error(`${where}: unknown runnable marker "${marker[1]}" (say "runnable" or "runnable: in a new project")`)
    if (!/^```(sh|bash)\s*$/.test(lines[index + 1] ?? '')) throw new Error(`${where}: a runnable marker must be right above a \`\`\`sh fence`)
    const end = lines.findIndex((line, at) => at > index + 1 && line.startsWith('```'))
    if (end === -1) throw new Error(`${where}: the block is not closed`)
    blocks.push({code: lines.slice(index + 2, end).join('\n'), file, line: index + 3, setup: marker[1] ? 'project' : 'empty'})
  }

  return blocks
}

const DOCS = ['README.md', ...readdirSync(join(REPO_ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)]

describe('docs that run', function () {
  this.timeout(300_000)
  const dir = useTempDir()
  const blocks = DOCS.flatMap((file) => runnableBlocks(file, readFileSync(join(REPO_ROOT, file), 'utf8')))

  it('finds runnable blocks in README.md and docs/', () => {
    expect(blocks.filter((block) => block.file === 'README.md')).to.not.be.empty
    expect(blocks.some((block) => block.file.startsWith('docs/'))).to.equal(true)
  })

  for (const block of blocks) {
    it(`runs the block at ${block.file}:${block.line}${block.setup === 'project' ? ' in a new project' : ''}`, () => {
      const home = join(dir.path, `${block.file.replaceAll('/', '_')}-${block.line}`)
      const bin = join(home, 'bin')
      mkdirSync(bin, {recursive: true})
      symlinkSync(BIN, join(bin, 'restack'))
      const env = {
        ...process.env,
        HOME: home,
        npm_config_prefix: join(home, 'npm-global'),
        PATH: `${bin}:${process.env.PATH}`,
        RESTACK_DATA_DIR: join(home, 'data'),
        XDG_CACHE_HOME: join(home, 'cache'),
      }
      const setup = block.setup === 'project' ? 'restack new my-agent --skip-install --skip-git >/dev/null\ncd my-agent\n' : ''
      // Errors name the doc's line: the block starts at script line 3 (+ the setup lines).
      const offset = block.line - 3 - (setup ? 2 : 0)
      const script = `set -Eeuo pipefail\ntrap 'echo "${block.file}:$((LINENO + ${offset})): exit $? from: $BASH_COMMAND" >&2' ERR\n${setup}${block.code}\n`
      const result = spawnSync('bash', ['--norc', '-c', script], {cwd: home, encoding: 'utf8', env, timeout: 240_000})
      expect(result.status, `${block.file}:${block.line} failed:\n${result.stderr.slice(-3000)}\n${result.stdout.slice(-2000)}`).to.equal(0)
    })
  }
})
