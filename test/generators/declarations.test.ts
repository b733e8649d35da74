import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {REPO_ROOT, runCli} from '../helpers/cli.js'
import {snapshot, useTempDir} from '../helpers/fs.js'
import {linkPlugins} from '../helpers/plugins.js'

/**
 * A dependency declaration leaves with its unit only when no file that stays imports it. Found by the
 * grown model's plugin seed: generate:llm-config and the first generate:tool-server both declare zod,
 * and destroying either one took zod from the other's files (the project no longer type-checked).
 */
describe('declarations: a dependency two units share', () => {
  const dir = useTempDir('restack-deps-')
  const plugins = [
    {name: '@restack/plugin-llm', root: join(REPO_ROOT, 'plugins/plugin-llm')},
    {name: '@restack/plugin-tools', root: join(REPO_ROOT, 'plugins/plugin-tools')},
  ]

  for (const first of ['destroy:llm-config', 'destroy:tool-server'] as const) {
    it(`stays while the other unit imports it (${first} first), and goes with the last one`, () => {
      const env = linkPlugins(join(dir.path, 'data'), plugins)
      expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path}).status).to.equal(0)
      const root = join(dir.path, 'demo')
      const fresh = snapshot(root)
      const ok = (...args: string[]) => {
        const result = runCli(args, {cwd: root, env})
        expect(result.status, `${args.join(' ')}: ${result.stderr}`).to.equal(0)
      }

      const dependencies = () => JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies as Record<string, string>
      ok('generate:llm-config')
      ok('generate:tool-server', 'Calc')
      expect(dependencies()).to.include.keys('zod', 'cockatiel', '@modelcontextprotocol/sdk')

      ok(...(first === 'destroy:llm-config' ? ['destroy:llm-config'] : ['destroy:tool-server', 'Calc']))
      const left = dependencies()
      expect(left).to.have.property('zod')
      if (first === 'destroy:llm-config') expect(left).to.have.property('@modelcontextprotocol/sdk').and.not.have.property('cockatiel')
      else expect(left).to.have.property('cockatiel').and.not.have.property('@modelcontextprotocol/sdk')

      ok(...(first === 'destroy:llm-config' ? ['destroy:tool-server', 'Calc'] : ['destroy:llm-config']))
      expect(dependencies()).to.not.have.any.keys('zod', 'cockatiel', '@modelcontextprotocol/sdk')
      const after = snapshot(root)
      expect(Object.keys(after).filter((path) => after[path] !== fresh[path])).to.deep.equal([])
      expect(Object.keys(fresh).filter((path) => !(path in after))).to.deep.equal([])
    })
  }
})
