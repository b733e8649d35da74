import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {runCli} from '../../../../test/helpers/cli.js'
import {useTempDir} from '../../../../test/helpers/fs.js'
import {linkPlugins} from '../../../../test/helpers/plugins.js'

const PLUGIN = {name: '@restack/plugin-tools', root: fileURLToPath(new URL('../..', import.meta.url))}

// Regression (issue 12): paths in config/tools.yaml stay inside their folder, the project.
describe('doctor: a tool server whose cwd leaves the project', () => {
  const dir = useTempDir('restack-tools-cwd-')

  it('is an error naming the server, the path and the fix; a cwd inside the project is not', () => {
    const env = linkPlugins(join(dir.path, 'data'), [PLUGIN])
    expect(runCli(['new', 'demo', '--skip-install', '--skip-git'], {cwd: dir.path, env}).status).to.equal(0)
    const root = join(dir.path, 'demo')
    expect(runCli(['g', 'tool-server', 'Calc'], {cwd: root, env}).status).to.equal(0)
    const file = join(root, 'config/tools.yaml')
    const original = readFileSync(file, 'utf8')
    const findings = (cwd: string) => {
      writeFileSync(file, original.replace(/^(\s+)transport: stdio$/m, `$1transport: stdio\n$1cwd: ${JSON.stringify(cwd)}`))
      const result = runCli(['doctor', '--json'], {cwd: root, env})
      return (JSON.parse(result.stdout).findings as Array<{code: string; fix: string; message: string}>).filter((finding) => finding.code === 'tools/cwd-outside-project')
    }

    for (const outside of ['..', '../elsewhere', '/tmp', 'tools/../../x']) {
      const found = findings(outside)
      expect(found, outside).to.have.length(1)
      expect(found[0].message).to.equal(`The tool server "calc" has cwd ${JSON.stringify(outside)}, which is outside the project.`)
      expect(found[0].fix).to.include('servers.calc.cwd')
    }

    for (const inside of ['.', 'tools', 'tools/../src']) expect(findings(inside), inside).to.deep.equal([])
  })
})
