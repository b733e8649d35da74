import {expect} from 'chai'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {environmentRule, requiredReads} from '../../../src/doctor/rules/environment.js'
import {loadProject} from '../../../src/engine/project.js'
import {tempDir} from '../../helpers/fs.js'

const required = (source: string): string[] => [...requiredReads(source, 'src/x.ts').keys()]

describe('doctor environment rule', () => {
  it('treats a flag comparison as optional: unset is simply "off"', () => {
    expect(required('export const on = process.env.RESTACK_DEBUG === "1";')).to.deep.equal([])
    expect(required('export const off = process.env["NO_COLOR"] !== "true";')).to.deep.equal([])
    expect(required('if (process.env.VERBOSE == "yes") console.log(1);')).to.deep.equal([])
  })

  it('treats reads with a ?? or || default, a test, or ?. as optional', () => {
    expect(required('export const port = Number(process.env.PORT ?? 3000);')).to.deep.equal([])
    expect(required('export const host = process.env.HOST || "127.0.0.1";')).to.deep.equal([])
    expect(required('export const url = (process.env.URL as string) ?? "http://x";')).to.deep.equal([])
    expect(required('export const a = process.env.A ? 1 : 2; if (!process.env.B) {}')).to.deep.equal([])
    expect(required('export const list = process.env.LIST?.split(",") ?? [];')).to.deep.equal([])
    expect(required('process.env.SET_HERE = "x"; delete process.env.GONE;')).to.deep.equal([])
  })

  it('still requires a value read without a fallback, wherever it sits on the line', () => {
    expect(required('export const key = () => process.env.SENDGRID_KEY;')).to.deep.equal(['SENDGRID_KEY'])
    expect(required('export const key = fetch(process.env.API_URL!);')).to.deep.equal(['API_URL'])
    expect(required('const x = { a: process.env.A === "1", b: process.env.B };')).to.deep.equal(['B'])
    expect(required('const y = fallback || process.env.TOKEN;')).to.deep.equal(['TOKEN'])
    expect(required('// process.env.IN_A_COMMENT\nconst s = "process.env.IN_A_STRING";')).to.deep.equal([])
  })

  it('reports only the required reads of a project, with file and line', async () => {
    const dir = tempDir('restack-env-rule-')
    try {
      writeFileSync(join(dir.path, 'restack.yaml'), 'restack: 1\napp: demo\n')
      mkdirSync(join(dir.path, 'src/functions'), {recursive: true})
      writeFileSync(
        join(dir.path, 'src/functions/mailer.ts'),
        'export const debug = process.env.MAILER_DEBUG === "1";\nexport const from = process.env.MAIL_FROM ?? "a@b.c";\nexport const key = () => process.env.SENDGRID_KEY;\n',
      )
      const findings = await environmentRule.run({cwd: dir.path, env: {}, project: loadProject(dir.path), typecheck: false})
      expect(findings.map((finding) => finding.message)).to.deep.equal(['SENDGRID_KEY is read at src/functions/mailer.ts:3 but is not set in the environment or .env.'])
    } finally {
      dir.cleanup()
    }
  })
})
