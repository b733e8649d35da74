import {expect} from 'chai'
import {chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {parseConfig} from '../../src/engine/project.js'
import {errorText, isOneParagraph, runCli} from '../helpers/cli.js'
import {snapshot, useTempDir} from '../helpers/fs.js'
import {freePort} from '../helpers/ports.js'

const planLines = (stdout: string): string[] => stdout.split('\n').filter((line) => /^\s*(create|identical|force|conflict|update|skip)\s{2}/.test(line))

describe('restack new (the files it writes)', () => {
  const dir = useTempDir()

  it('writes the project of DESIGN §5 and prints one line per file', () => {
    const result = runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path})
    expect(result.status, result.stderr).to.equal(0)
    const root = join(dir.path, 'demo')
    for (const path of [
      'package.json', 'tsconfig.json', '.env.example', '.gitignore', 'restack.yaml', 'README.md', 'src/client.ts', 'src/services.ts',
      'src/agents/index.ts', 'src/workflows/index.ts', 'src/functions/index.ts', 'src/restack/agent.ts', 'src/restack/function.ts',
    ]) {
      expect(existsSync(join(root, path)), path).to.equal(true)
    }

    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
    expect(pkg.name).to.equal('demo')
    const temporal = Object.entries({...pkg.dependencies, ...pkg.devDependencies}).filter(([name]) => name.startsWith('@temporalio/'))
    expect(temporal.length).to.be.greaterThan(3)
    expect(new Set(temporal.map(([, version]) => version)).size, 'one pinned @temporalio version').to.equal(1)
    expect(parseConfig(readFileSync(join(root, 'restack.yaml'), 'utf8')).app).to.equal('demo')
    const lines = planLines(result.stdout)
    expect(lines.length).to.equal(Object.keys(snapshot(root)).filter((key) => !key.endsWith('/') && !key.startsWith('.restack')).length)
    expect(lines.every((line) => line.trimStart().startsWith('create'))).to.equal(true)
    const ledger = JSON.parse(readFileSync(join(root, '.restack/ledger.json'), 'utf8'))
    expect(Object.keys(ledger.files)).to.include('src/services.ts')
    // The next steps: install, test, start the engine, then the service.
    expect(result.stdout).to.match(/Next:\n {2}cd demo\n {2}npm install\n {2}npm test\n {2}temporal server start-dev .*\n {2}restack run server\n/)
  })

  it('prints in a dry run the same file list as the real run, and writes nothing', () => {
    const before = snapshot(dir.path)
    const dry = runCli(['new', 'demo', '--dry-run', '--skip-install', '--skip-git'], {cwd: dir.path})
    expect(dry.status, dry.stderr).to.equal(0)
    expect(snapshot(dir.path)).to.deep.equal(before)
    expect(dry.stdout).to.match(/Dry run: nothing was written/)
    const real = runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path})
    expect(planLines(dry.stdout)).to.deep.equal(planLines(real.stdout))
    expect(planLines(real.stdout).length).to.be.greaterThan(10)
  })

  it('gives the typed result as one JSON object with --json', () => {
    const result = runCli(['new', 'demo', '--skip-install', '--skip-git', '--json', '--task-queue', 'support'], {cwd: dir.path})
    expect(result.status, result.stderr).to.equal(0)
    const json = JSON.parse(result.stdout)
    expect(json).to.include({app: 'demo', dryRun: false, installed: false, git: false})
    expect(json.files.find((file: {path: string}) => file.path === 'src/services.ts')).to.deep.include({action: 'create'})
    expect(readFileSync(join(dir.path, 'demo/restack.yaml'), 'utf8')).to.match(/taskQueue: support/)
  })

  it('keeps a numeric app name a string in restack.yaml', () => {
    expect(runCli(['new', '123', '--skip-install', '--skip-git'], {cwd: dir.path}).status).to.equal(0)
    expect(parseConfig(readFileSync(join(dir.path, '123/restack.yaml'), 'utf8')).app).to.equal('123')
  })

  it('runs git init unless --skip-git', () => {
    const result = runCli(['new', 'demo', '--skip-install'], {cwd: dir.path})
    expect(result.status, result.stderr).to.equal(0)
    expect(existsSync(join(dir.path, 'demo/.git'))).to.equal(true)
  })

  describe('bad input: one paragraph naming the value and the fix, non-zero exit, nothing left behind', () => {
    const expectRefused = (args: string[], pattern: RegExp, env?: NodeJS.ProcessEnv, prefix?: string[]) => {
      const before = snapshot(dir.path)
      const result = runCli(args, {cwd: dir.path, env, prefix})
      expect(result.status, result.stdout + result.stderr).to.equal(1)
      expect(errorText(result.stderr)).to.match(pattern)
      expect(result.stderr).not.to.match(/\n\s+at /)
      expect(isOneParagraph(result.stderr), result.stderr).to.equal(true)
      expect(snapshot(dir.path)).to.deep.equal(before)
    }

    it('rejects "My App"', () => expectRefused(['new', 'My App', '--skip-install'], /"My App" is not a valid app name.*"my-app"/s))
    it('rejects "../x"', () => expectRefused(['new', '../x', '--skip-install'], /"\.\.\/x" is not a valid app name/))
    it('rejects "node_modules"', () => expectRefused(['new', 'node_modules', '--skip-install'], /"node_modules" is not a valid app name/))
    it('rejects an empty name', () => expectRefused(['new', '', '--skip-install'], /app name is empty/))
    it('rejects a bad task queue', () => expectRefused(['new', 'demo', '--task-queue', 'a b'], /"a b" is not a valid task queue/))

    it('refuses a non-empty directory without --force, and --force generates into it', () => {
      mkdirSync(join(dir.path, 'demo'))
      writeFileSync(join(dir.path, 'demo/notes.txt'), 'mine')
      expectRefused(['new', 'demo', '--skip-install'], /"demo" already exists and is not empty.*--force/s)
      const forced = runCli(['new', 'demo', '--skip-install', '--skip-git', '--force'], {cwd: dir.path})
      expect(forced.status, forced.stderr).to.equal(0)
      expect(readFileSync(join(dir.path, 'demo/notes.txt'), 'utf8')).to.equal('mine')
      expect(existsSync(join(dir.path, 'demo/src/services.ts'))).to.equal(true)
    })

    it('refuses an unwritable parent and leaves nothing behind', () => {
      const parent = join(dir.path, 'locked')
      mkdirSync(parent)
      chmodSync(parent, 0o555)
      chmodSync(dir.path, 0o755)
      // root writes anywhere, so as root the CLI runs as "nobody" to meet a real permission error
      const asNobody = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : undefined
      const before = snapshot(dir.path)
      const result = runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: parent, env: {HOME: dir.path}, prefix: asNobody})
      expect(result.status, result.stdout + result.stderr).to.equal(1)
      expect(errorText(result.stderr)).to.match(/Cannot write ".*locked\/demo.*": permission denied\. Nothing was written/s)
      expect(isOneParagraph(result.stderr)).to.equal(true)
      expect(snapshot(dir.path)).to.deep.equal(before)
    })
  })

  it('keeps the project when npm install fails and says how to finish by hand', async () => {
    const port = await freePort()
    const result = runCli(['new', 'demo', '--skip-git'], {
      cwd: dir.path,
      env: {npm_config_fetch_retries: '0', npm_config_registry: `http://127.0.0.1:${port}/`},
    })
    expect(result.status).to.equal(1)
    expect(errorText(result.stderr)).to.match(/installing its dependencies failed.*cd demo && npm install/s)
    expect(isOneParagraph(result.stderr.slice(result.stderr.indexOf('Error')))).to.equal(true)
    expect(existsSync(join(dir.path, 'demo/src/services.ts'))).to.equal(true)
  })
})
