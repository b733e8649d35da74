// The bad-input matrix (DESIGN §9, issue 12): every command and plugin command, given bad input or a
// project in a state it cannot work on, exits non-zero with one paragraph that names the bad value,
// and leaves the tree (.restack/ included) byte for byte as it was.
import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {BIN, errorText, runCli} from '../helpers/cli.js'
import {snapshot, tempDir} from '../helpers/fs.js'
import {linkPlugins} from '../helpers/plugins.js'

type Group = 'new' | 'outside' | 'project'

interface Case {
  args: string[]
  /** expected exit code (1 unless said) */
  exit?: number
  group?: Group
  /** what the message must contain: the bad value (or, where there is no value, what is wrong) */
  names: RegExp | string
  /** root runs the CLI as "nobody" so that permissions bite */
  nobody?: boolean
  /** a file the CLI may not read while it runs (as root the CLI runs as "nobody", and only the owner may read it) */
  unreadable?: string
  /** changes the case's copy of the project before its snapshot */
  setup?: (root: string) => void
  title?: string
}

const PLUGINS = ['plugin-llm', 'plugin-tools'].map((name) => ({name: `@restack/${name}`, root: fileURLToPath(new URL(`../../plugins/${name}`, import.meta.url))}))
const write = (path: string, content: string) => (root: string) => writeFileSync(join(root, path), content)
const edit = (path: string, change: (text: string) => string) => (root: string) => writeFileSync(join(root, path), change(readFileSync(join(root, path), 'utf8')))
const q = (value: string): string => JSON.stringify(value)
const LONG = 'a'.repeat(300)

// ---- names: every kind, every way to call it ----------------------------------------------------
const KINDS = ['agent', 'function', 'workflow', 'prompt', 'pipeline', 'tool-server']
const BAD_NAMES: Array<[string, RegExp | string]> = [
  ['', /name is empty/],
  ['1st-step', q('1st-step')],
  ['delete', q('delete')],
  ['send.email', q('send.email')],
  // a paste gone wrong: it was generated as "sendEmail"
  ['send\nemail', q('send\nemail')],
]
const extra = (kind: string): string[] => (kind === 'pipeline' ? ['--operators', 'greet'] : [])
// "delete" is a fine pipeline name (deletePipeline): pipelines get a name with a character that is not allowed instead
const badNames = (kind: string): Array<[string, RegExp | string]> => (kind === 'pipeline' ? [...BAD_NAMES.filter(([name]) => name !== 'delete'), ['Café', q('Café')]] : BAD_NAMES)
const nameCases: Case[] = KINDS.flatMap((kind) => [
  ...badNames(kind).flatMap(([name, names]): Case[] => [
    {args: [`generate:${kind}`, name, ...extra(kind)], names},
    {args: ['g', kind, name, ...extra(kind)], names},
    {args: [`destroy:${kind}`, name], names},
  ]),
  {args: ['g', kind, LONG, ...extra(kind)], names: /bytes long, and restack writes names of at most 200 bytes/, title: `g ${kind} <300 characters>`},
  {args: ['d', kind, 'Nope'], names: /"nope"|Nope/i, title: `d ${kind} Nope (there is none)`},
])

// ---- flags, expressions, states: one project ---------------------------------------------------
const projectCases: Case[] = [
  {args: ['mcp', '--project', 'no/such/dir'], names: q('no/such/dir')},
  {args: ['mcp', '--port', '8931'], exit: 2, names: '--http', title: 'mcp --port without --http'},
  {args: ['mcp', '--http', '--port', '99999'], exit: 2, names: '99999'},
  // taken names
  {args: ['g', 'function', 'Greeter'], names: q('Greeter')},
  {args: ['g', 'workflow', 'Greet'], names: q('Greet')},
  // the same options again are identical (exit 0); other options over an existing server are a conflict
  {args: ['g', 'tool-server', 'Calc', '--transport', 'http'], names: q('calc'), title: 'g tool-server Calc --transport http over the stdio server Calc'},
  {args: ['g', 'workflow', 'Onboard'], names: /onboard/i, setup: edit('src/workflows/onboard.ts', (text) => `${text}// mine\n`), title: 'g workflow Onboard over a file the user changed is refused without losing it'},
  // kinds and commands
  {args: ['g', 'agnet', 'X'], exit: 2, names: q('agnet')},
  {args: ['d', 'agnet', 'X'], exit: 2, names: q('agnet')},
  {args: ['g', '9lives9', 'X'], exit: 2, names: q('9lives9')},
  {args: ['generate', 'Caf', 'X'], exit: 2, names: q('Caf')},
  {args: ['g', 'function'], exit: 2, names: /name/},
  {args: ['g', 'function', 'X', '--bogus'], exit: 2, names: '--bogus'},
  {args: ['g', 'function', 'X', '--force', '--skip'], exit: 2, names: /--skip|--force/},
  {args: ['list', '--bogus'], exit: 2, names: '--bogus'},
  {args: ['doctor', '--dry-run'], exit: 2, names: '--fix'},
  {args: ['doctor', '--bogus'], exit: 2, names: '--bogus'},
  {args: ['run:server', '--bogus'], exit: 2, names: '--bogus'},
  // function flags
  {args: ['g', 'function', 'Charge', '--rate-limit', '5'], names: '--rate-limit'},
  {args: ['g', 'function', 'Charge', '--max-concurrent', '2'], names: '--max-concurrent'},
  {args: ['g', 'function', 'Charge', '--task-queue', 'q', '--rate-limit', '0'], exit: 2, names: /rate-limit|0/},
  {args: ['g', 'function', 'Charge', '--task-queue', 'q', '--rate-limit', 'many'], exit: 2, names: 'many'},
  {args: ['g', 'function', 'Charge', '--task-queue', 'q', '--max-concurrent', '-1'], exit: 2, names: /-1|max-concurrent/},
  {args: ['g', 'function', 'Charge', '--task-queue', 'bad queue!'], names: q('bad queue!')},
  {args: ['g', 'function', 'Charge', '--task-queue', ''], names: /task queue|task-queue/},
  {args: ['g', 'function', 'Greet', '--task-queue', 'other'], names: /greet/i, title: 'g function Greet --task-queue other: already on another queue'},
  // agent events
  {args: ['g', 'agent', 'Support', '--events', 'message,end'], names: q('end')},
  {args: ['g', 'agent', 'Support', '--events', 'bad event!'], names: q('bad event!')},
  {args: ['g', 'agent', 'Support', '--events', '1st'], names: q('1st')},
  {args: ['g', 'agent', 'Support', '--events', 'delete'], names: q('delete')},
  // prompt versions
  {args: ['g', 'prompt', 'Ask', '--version', '1.0'], names: q('1.0')},
  {args: ['g', 'prompt', 'Ask', '--version', 'latest'], names: q('latest')},
  {args: ['g', 'prompt', 'Ask', '--version', '01.0.0'], names: q('01.0.0')},
  {args: ['g', 'prompt', 'Ask', '--version', ''], names: /version/},
  {args: ['d', 'prompt', 'Summarize', '--version', '9.9.9'], names: '9.9.9'},
  {args: ['d', 'prompt', 'Summarize', '--version', 'x'], names: q('x')},
  // pipeline expressions
  {args: ['g', 'pipeline', 'Flow2'], names: /--operators/},
  {args: ['g', 'pipeline', 'Flow2', '--operators', ''], names: /--operators|empty/},
  {args: ['g', 'pipeline', 'Flow2', '--operators', 'greet ->'], names: /column/},
  {args: ['g', 'pipeline', 'Flow2', '--operators', '-> greet'], names: /column 1/},
  {args: ['g', 'pipeline', 'Flow2', '--operators', 'greet -> -> onboard'], names: /column/},
  {args: ['g', 'pipeline', 'Flow2', '--operators', '(greet -> onboard'], names: /column/},
  {args: ['g', 'pipeline', 'Flow2', '--operators', 'greet -> onboard)'], names: /column/},
  {args: ['g', 'pipeline', 'Flow2', '--operators', 'greet ⇄'], names: /column/},
  {args: ['g', 'pipeline', 'Flow2', '--operators', 'greet →? ('], names: /column/},
  {args: ['g', 'pipeline', 'Flow2', '--operators', 'greet →? (onboard, greet, greet)'], names: /column/},
  {args: ['g', 'pipeline', 'Flow2', '--operators', 'greet, onboard'], names: /column/},
  {args: ['g', 'pipeline', 'Flow2', '--operators', 'greet -> nope'], names: q('nope')},
  {args: ['g', 'pipeline', 'Flow2', '--operators', 'gret -> onboard'], names: q('gret')},
  {args: ['g', 'pipeline', 'Flow2', '--operators', 'greet -> $x'], names: /\$|column/},
  {args: ['g', 'pipeline', 'Flow2', '--operators', 'greet -> summarize'], names: q('summarize')},
  {args: ['g', 'pipeline', 'Flow2', '--operators', 'greet -> 1st', '--scaffold-missing'], names: /1st|column/},
  // plugin: llm
  {args: ['g', 'llm-config', '--backend', 'smoke'], exit: 2, names: 'smoke'},
  {args: ['g', 'llm-config', '--provider', 'openia'], names: q('openia')},
  {args: ['g', 'llm-config', '--provider', ''], names: /provider/},
  {args: ['generate:llm-config', '--provider', 'cohere'], names: q('cohere')},
  {args: ['g', 'llm-config', '--bogus'], exit: 2, names: '--bogus'},
  {args: ['destroy:llm-config'], names: 'There is no LLM router to destroy', setup: removeLlm, title: 'destroy:llm-config where none exists'},
  {args: ['d', 'llm-config'], names: 'There is no LLM router to destroy', setup: removeLlm, title: 'd llm-config where none exists'},
  // plugin: tools
  {args: ['g', 'tool-server', 'Web', '--port', '8080'], names: '--port 8080'},
  {args: ['g', 'tool-server', 'Web', '--transport', 'http', '--port', '0'], exit: 2, names: /port|0/},
  {args: ['g', 'tool-server', 'Web', '--transport', 'http', '--port', '70000'], exit: 2, names: '70000'},
  {args: ['g', 'tool-server', 'Web', '--transport', 'http', '--port', 'eighty'], exit: 2, names: 'eighty'},
  {args: ['g', 'tool-server', 'Web', '--transport', 'ftp'], exit: 2, names: 'ftp'},
  {args: ['tools:call'], exit: 2, names: /server/},
  {args: ['tools:call', 'calc'], exit: 2, names: /tool/},
  {args: ['tools:call', 'calc', 'evaluate', '--args', '{bad'], exit: 2, names: q('{bad')},
  {args: ['tools:call', 'calc', 'evaluate', '--args', '[1, 2]'], exit: 2, names: q('[1, 2]')},
  {args: ['tools:call', 'calc', 'evaluate', '--args', '"text"'], exit: 2, names: q('"text"')},
  {args: ['tools:call', 'calc', 'evaluate'], names: 'npm install', title: 'tools:call before npm install'},
  {args: ['tools:list'], names: 'npm install', title: 'tools:list before npm install'},
  {args: ['tools:health'], names: 'npm install', title: 'tools:health before npm install'},
  {args: ['tools:list', '--bogus'], exit: 2, names: '--bogus'},
  // project files restack cannot work with
  {args: ['g', 'function', 'SendEmail'], names: 'src/services.ts', setup: write('src/services.ts', 'import { greet } from "./functions"\nconst = ;\n'), title: 'g function: services.ts does not parse'},
  {args: ['d', 'function', 'greet'], names: 'src/services.ts', setup: write('src/services.ts', 'const = ;\n'), title: 'd function: services.ts does not parse'},
  {args: ['g', 'function', 'SendEmail'], names: 'src/functions/index.ts', setup: write('src/functions/index.ts', 'export * from "./greet"\nexport * from\n'), title: 'g function: its barrel does not parse'},
  {args: ['g', 'workflow', 'Ship'], names: 'src/workflows/index.ts', setup: write('src/workflows/index.ts', 'export * from (\n'), title: 'g workflow: its barrel does not parse'},
  {args: ['g', 'workflow', 'Ship'], names: 'package.json', setup: write('package.json', '{"name": "demo",\n'), title: 'g workflow: package.json is not JSON'},
  {args: ['g', 'llm-config'], names: 'package.json', setup: (root) => (removeLlm(root), write('package.json', '{"name": "demo"\n')(root)), title: 'g llm-config: package.json is not JSON'},
  {args: ['g', 'function', 'SendEmail'], names: 'restack.yaml', setup: write('restack.yaml', 'defaults: [\n'), title: 'g function: restack.yaml is not YAML'},
  {args: ['list'], names: 'restack.yaml', setup: write('restack.yaml', 'defaults:\n  taskQueue: 5\n  bogus: 1\n'), title: 'list: restack.yaml has a bad key'},
  {args: ['d', 'agent', 'Greeter'], names: 'restack.yaml', setup: write('restack.yaml', '- a\n'), title: 'd agent: restack.yaml is a list'},
  {args: ['g', 'prompt', 'Ask'], names: 'config/prompts.yaml', setup: write('config/prompts.yaml', 'prompts: [\n'), title: 'g prompt: the registry is not YAML'},
  {args: ['g', 'prompt', 'Ask'], names: 'config/prompts.yaml', setup: write('config/prompts.yaml', 'prompts:\n  - ask\n'), title: 'g prompt: the registry is a list'},
  {
    args: ['g', 'prompt', 'Summarize'],
    names: '"src/services.ts"',
    setup: edit('config/prompts.yaml', (text) => text.replace(/^(\s+1\.0\.0: )prompts\/summarize\/1\.0\.0\.md$/m, '$1src/services.ts')),
    title: 'g prompt: a registry entry naming src/services.ts (regression: it was overwritten with markdown)',
  },
  {
    args: ['g', 'prompt', 'Summarize', '--version', '1.1.0'],
    names: '"../../etc/passwd.md"',
    setup: edit('config/prompts.yaml', (text) => text.replace(/^(\s+1\.0\.0: )prompts\/summarize\/1\.0\.0\.md$/m, '$1../../etc/passwd.md')),
    title: 'g prompt: a registry entry pointing out of the project',
  },
  {args: ['g', 'tool-server', 'Web'], names: 'config/tools.yaml', setup: write('config/tools.yaml', 'servers: [\n'), title: 'g tool-server: tools.yaml is not YAML'},
  {args: ['g', 'tool-server', 'Web'], names: 'config/tools.yaml', setup: write('config/tools.yaml', 'servers: 5\n'), title: 'g tool-server: tools.yaml servers is not a map'},
  {args: ['g', 'pipeline', 'Flow2', '--operators', 'greet'], names: 'restack.yaml', setup: write('restack.yaml', 'pipelines: [\n'), title: 'g pipeline: restack.yaml is not YAML'},
  // the ledger
  ...[
    ['not JSON', '{bad'],
    ['an array', '[]'],
    ['a wrong version', '{"version": 2, "files": {}}'],
    ['an entry without a hash', '{"version": 1, "files": {"src/functions/greet.ts": {"by": "new"}}}'],
  ].flatMap(([what, content]): Case[] => [
    {args: ['g', 'function', 'SendEmail'], names: '.restack/ledger.json is corrupt', setup: write('.restack/ledger.json', content), title: `g function: the ledger is ${what}`},
    {args: ['d', 'function', 'greet', '--force'], names: '.restack/ledger.json is corrupt', setup: write('.restack/ledger.json', content), title: `d function: the ledger is ${what}`},
  ]),
  // the file system
  {args: ['g', 'function', 'SendEmail'], names: '"src/functions/sendEmail.ts"', setup: (root) => mkdirSync(join(root, 'src/functions/sendEmail.ts')), title: 'g function: a directory where its file goes'},
  {args: ['g', 'function', 'SendEmail', '--dry-run'], names: '"src/functions/sendEmail.ts"', setup: (root) => mkdirSync(join(root, 'src/functions/sendEmail.ts')), title: 'g function --dry-run: a directory where its file goes'},
  {args: ['g', 'prompt', 'Ask'], names: '"prompts"', setup: (root) => (rmSync(join(root, 'prompts'), {force: true, recursive: true}), writeFileSync(join(root, 'prompts'), 'a file\n')), title: 'g prompt: a file where prompts/ goes'},
  {args: ['g', 'workflow', 'Ship'], names: '"scripts"', setup: (root) => (rmSync(join(root, 'scripts'), {force: true, recursive: true}), writeFileSync(join(root, 'scripts'), 'a file\n')), title: 'g workflow: a file where scripts/ goes'},
  {args: ['g', 'function', 'SendEmail'], names: /Cannot read ".*src\/services\.ts": permission denied/, nobody: true, unreadable: 'src/services.ts', title: 'g function: services.ts unreadable'},
  {args: ['d', 'agent', 'Greeter'], names: /Cannot read ".*src\/agents\/index\.ts": permission denied/, nobody: true, unreadable: 'src/agents/index.ts', title: 'd agent: its barrel unreadable'},
  {args: ['g', 'function', 'SendEmail'], names: /permission denied/, nobody: true, title: 'g function in a project the user may not write'},
  {args: ['d', 'function', 'greet'], names: /permission denied/, nobody: true, title: 'd function in a project the user may not write'},
  {args: ['g', 'llm-config'], names: /permission denied/, nobody: true, setup: removeLlm, title: 'g llm-config in a project the user may not write'},
]

function removeLlm(root: string): void {
  for (const path of ['config/llm_router.yaml', 'src/llm', 'src/functions/llmChat.ts', 'test/llm', 'test/functions/llmChat.test.ts']) rmSync(join(root, path), {force: true, recursive: true})
}

const isRoot = process.getuid?.() === 0


/** Root: everyone may write the case's copy while the command runs (so that only the unreadable file bites); gives back the modes. */
function openToAll(dir: string): () => void {
  if (!isRoot) return () => {}
  const modes = new Map<string, number>()
  const walk = (path: string): void => {
    modes.set(path, statSync(path).mode & 0o7777)
    chmodSync(path, 0o777)
    for (const entry of readdirSync(path, {withFileTypes: true})) {
      if (entry.isDirectory()) walk(join(path, entry.name))
      else {
        modes.set(join(path, entry.name), statSync(join(path, entry.name)).mode & 0o7777)
        chmodSync(join(path, entry.name), 0o666)
      }
    }
  }

  walk(dir)
  return () => {
    for (const [path, mode] of modes) chmodSync(path, mode)
  }
}

/** Not root: the case's directories become read-only (as root, "nobody" may not write root's files anyway). */
function readOnly(dir: string, mode: 'off' | 'on'): void {
  if (isRoot) return
  const walk = (path: string): void => {
    if (mode === 'off') chmodSync(path, 0o755)
    for (const entry of readdirSync(path, {withFileTypes: true})) if (entry.isDirectory()) walk(join(path, entry.name))
    if (mode === 'on') chmodSync(path, 0o555)
  }

  walk(dir)
}

// ---- outside any project --------------------------------------------------------------------------
const outsideCases: Case[] = [
  ...[
    ['g', 'function', 'SendEmail'],
    ['g', 'agent', 'Support'],
    ['g', 'workflow', 'Onboard'],
    ['g', 'prompt', 'Ask'],
    ['g', 'pipeline', 'Flow', '--operators', 'a -> b'],
    ['g', 'tool-server', 'Calc'],
    ['g', 'llm-config'],
    ['d', 'function', 'greet'],
    ['destroy:llm-config'],
    ['destroy:tool-server', 'Calc'],
    ['list'],
    ['run:server'],
    ['tools:list'],
    ['tools:health'],
    ['tools:call', 'calc', 'evaluate'],
  ].map((args): Case => ({args, group: 'outside', names: /not inside a restack project|restack new/, title: `${args.join(' ')} outside a project`})),
]

// ---- restack new --------------------------------------------------------------------------------
const newCases: Case[] = [
  ['My App', q('My App')],
  ['../x', q('../x')],
  ['a/b', q('a/b')],
  ['.hidden', q('.hidden')],
  ['_private', q('_private')],
  ['node_modules', q('node_modules')],
  ['UPPER', q('UPPER')],
  ['', /app name|empty/],
  [LONG, /is not a valid app name/],
  ['café', q('café')],
].map(([app, names]): Case => ({args: ['new', app as string, '--skip-install', '--skip-git'], group: 'new', names, title: `new ${q((app as string).slice(0, 20))}`}))
newCases.push(
  {args: ['new', 'taken', '--skip-install', '--skip-git'], group: 'new', names: /taken/, title: 'new into a non-empty directory without --force'},
  {args: ['new', 'demo', '--package-manager', 'yarn'], exit: 2, group: 'new', names: 'yarn'},
  {args: ['new', 'demo', '--task-queue', 'bad queue!', '--skip-install', '--skip-git'], group: 'new', names: q('bad queue!')},
  {args: ['new'], exit: 2, group: 'new', names: /app/},
  {args: ['new', 'demo', '--bogus'], exit: 2, group: 'new', names: '--bogus'},
  {args: ['new', 'demo', '--skip-install', '--skip-git'], group: 'new', names: /permission denied/, nobody: true, title: 'new in a directory the user may not write'},
)

const ALL: Case[] = [...nameCases, ...projectCases, ...outsideCases, ...newCases]

interface Outcome {
  after: Record<string, string>
  before: Record<string, string>
  status: null | number
  stderr: string
  stdout: string
}

const asNobody = (): string[] => (isRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [])

function runAsync(args: string[], cwd: string, env: NodeJS.ProcessEnv, prefix: string[]): Promise<{status: null | number; stderr: string; stdout: string}> {
  return new Promise((resolve) => {
    const [command, ...rest] = [...prefix, process.execPath, BIN, ...args]
    const child = spawn(command, rest, {cwd, env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('close', (status) => resolve({status, stderr, stdout}))
  })
}

async function pool<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({length: limit}, async () => {
      while (next < items.length) {
        const index = next++
        await work(items[index], index)
      }
    }),
  )
}

describe('the bad-input matrix: every command, one paragraph naming the value, the tree unchanged', function () {
  const outcomes = new Map<Case, Outcome>()
  let made: ReturnType<typeof tempDir>
  let env: NodeJS.ProcessEnv = {}

  before(async function () {
    this.timeout(900_000)
    made = tempDir('restack-bad-')
    const home = join(made.path, 'home')
    mkdirSync(home)
    env = {...linkPlugins(join(made.path, 'data'), PLUGINS), HOME: home, OCLIF_COLUMNS: '100000'}
    // The nobody user reaches the copies, and may read but not write them.
    chmodSync(made.path, 0o755)
    chmodSync(home, 0o777)
    // one project for the project cases: every kind present, so destroy and taken names have targets
    const base = join(made.path, 'base')
    mkdirSync(base)
    const setup = [
      ['new', 'demo', '--skip-install', '--skip-git'],
      ['g', 'workflow', 'Onboard'],
      ['g', 'prompt', 'Summarize'],
      ['g', 'pipeline', 'Flow', '--operators', 'greet -> onboard'],
      ['g', 'tool-server', 'Calc'],
      ['g', 'llm-config'],
    ]
    for (const args of setup) {
      const result = runCli(args, {cwd: args[0] === 'new' ? base : join(base, 'demo'), env})
      expect(result.status, `${args.join(' ')}: ${result.stderr}`).to.equal(0)
    }

    const cases = join(made.path, 'cases')
    mkdirSync(cases)
    chmodSync(cases, 0o755)
    await pool(ALL, 3, async (item, index) => {
      const dir = join(cases, String(index))
      let cwd: string
      const group = item.group ?? 'project'
      if (group === 'project') {
        cpSync(join(base, 'demo'), dir, {recursive: true})
        cwd = dir
      } else {
        mkdirSync(dir)
        cwd = dir
        if (group === 'new') {
          mkdirSync(join(dir, 'taken'))
          writeFileSync(join(dir, 'taken/notes.txt'), 'mine\n')
        }
      }

      item.setup?.(dir)
      const before = snapshot(dir)
      // permissions change only while the command runs, so both snapshots see the same modes
      const restore = item.unreadable ? openToAll(dir) : () => {}
      if (item.unreadable) chmodSync(join(dir, item.unreadable), isRoot ? 0o600 : 0o000)
      if (item.nobody && !item.unreadable) readOnly(dir, 'on')
      const result = await runAsync(item.args, cwd, env, item.nobody ? asNobody() : [])
      if (item.nobody && !item.unreadable) readOnly(dir, 'off')
      if (item.unreadable) chmodSync(join(dir, item.unreadable), 0o644)
      restore()
      outcomes.set(item, {...result, after: snapshot(dir), before})
    })
  })
  after(() => made?.cleanup())

  // Regression (issue 12): a dry run in a project the user may not write said "this is unexpected".
  it('a --dry-run in a project the user may read but not write prints its plan and exits 0', async () => {
    const dir = join(made.path, 'read-only')
    cpSync(join(made.path, 'base/demo'), dir, {recursive: true})
    const before = snapshot(dir)
    readOnly(dir, 'on')
    const result = await runAsync(['g', 'function', 'SendEmail', '--dry-run'], dir, env, asNobody())
    readOnly(dir, 'off')
    expect(result.status, result.stderr).to.equal(0)
    expect(result.stdout).to.match(/create {2}src\/functions\/sendEmail\.ts/)
    expect(result.stdout).to.include('Dry run: nothing was written.')
    expect(snapshot(dir)).to.deep.equal(before)
  })

  it(`has at least 150 cases (${ALL.length})`, () => expect(ALL.length).to.be.at.least(150))

  for (const item of ALL) {
    const title = item.title ?? item.args.map((arg) => (arg === '' ? '""' : /\s/.test(arg) ? q(arg) : arg)).join(' ')
    it(`${(item.group ?? 'project').padEnd(7)} ${title}`, () => {
      const outcome = outcomes.get(item)!
      const shown = `exit ${outcome.status}\nstdout: ${outcome.stdout}\nstderr: ${outcome.stderr}`
      expect(outcome.status, shown).to.equal(item.exit ?? 1)
      const message = errorText(outcome.stderr)
      expect(outcome.stderr.trim(), shown).not.to.match(/\n\s*\n/) // one paragraph
      expect(outcome.stderr, shown).not.to.match(/\n\s+at |this is unexpected|DEBUG=/i) // no stack, no "this is unexpected"
      expect(outcome.stderr.match(/Error:/g) ?? [], shown).to.have.length(1)
      if (typeof item.names === 'string') expect(message, shown).to.include(item.names)
      else expect(message, shown).to.match(item.names)
      expect(outcome.after, 'the tree changed').to.deep.equal(outcome.before)
    })
  }
})
