import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {addBarrelExport, removeBarrelExport} from '../../src/ast/barrel.js'
import {addDependency, addScript, removeDependency, removeScript} from '../../src/ast/package-json.js'
import {addQueue, removeQueue} from '../../src/ast/queues.js'
import {registerFunction, unregisterFunction} from '../../src/ast/services.js'
import {indentUnit, keepLineEndings} from '../../src/ast/splice.js'
import {addVersion, promptFile, removeVersion} from '../../src/prompts/registry.js'
import {REPO_ROOT} from '../helpers/cli.js'

const template = (path: string): string => readFileSync(join(REPO_ROOT, 'templates/new', path), 'utf8').replaceAll('{{taskQueue}}', 'restack')
const crlf = (text: string): string => text.replaceAll('\n', '\r\n')
/** Two-space indentation levels as tabs. */
const tabs = (text: string): string => text.replaceAll(/^( +)/gm, (spaces) => '\t'.repeat(Math.ceil(spaces.length / 2)))

/** Every line ends with CRLF, and no line is indented with a space. */
function expectStyle(text: string, {crlf: wantCrlf, tabs: wantTabs}: {crlf: boolean; tabs: boolean}): void {
  if (wantCrlf) expect(text, JSON.stringify(text)).not.to.match(/(^|[^\r])\n/)
  else expect(text, JSON.stringify(text)).not.to.include('\r')
  if (wantTabs) expect(text.split(/\r?\n/).filter((line) => /^\s* /.test(line) && line.trim() !== ''), JSON.stringify(text)).to.deep.equal([])
}

const edits: Array<{add: (text: string) => string; name: string; remove: (text: string) => string; source: string; tabs: boolean}> = [
  {add: (text) => addBarrelExport(text, 'src/functions/index.ts', 'sendEmail'), name: 'barrel', remove: (text) => removeBarrelExport(text, 'src/functions/index.ts', 'sendEmail'), source: 'export * from "./greet";\n', tabs: true},
  {
    add: (text) => registerFunction(registerFunction(text, {defaultQueue: 'restack', name: 'sendEmail'}), {defaultQueue: 'restack', maxConcurrent: 2, name: 'mail', rateLimit: 5, taskQueue: 'email'}),
    name: 'services.ts (a function, and one on a queue of its own)',
    remove: (text) => unregisterFunction(unregisterFunction(text, 'mail', 'restack'), 'sendEmail', 'restack'),
    source: template('src/services.ts.hbs'),
    tabs: true,
  },
  {
    add: (text) => addScript(addDependency(text, 'zod', '^4.0.0'), 'run:onboard', 'tsx scripts/onboard.ts'),
    name: 'package.json',
    remove: (text) => removeDependency(removeScript(text, 'run:onboard', 'tsx scripts/onboard.ts'), 'zod', '^4.0.0'),
    source: '{\n  "name": "demo",\n  "scripts": {\n    "build": "tsc"\n  },\n  "dependencies": {\n    "semver": "^7.0.0"\n  }\n}\n',
    tabs: true,
  },
  {add: (text) => addQueue(text, 'email'), name: 'queues.ts', remove: (text) => removeQueue(text, 'email'), source: 'export const FUNCTION_QUEUES: string[] = [\n  "restack",\n];\n', tabs: true},
  // YAML allows no tabs in indentation: the registry keeps CRLF only.
  {
    add: (text) => addVersion(addVersion(text, 'summarize', '1.1.0', promptFile('summarize', '1.1.0')), 'greet', '1.0.0', promptFile('greet', '1.0.0')),
    name: 'config/prompts.yaml',
    remove: (text) => removeVersion(removeVersion(text, 'greet', '1.0.0'), 'summarize', '1.1.0'),
    source: '# prompts\nprompts:\n  summarize:\n    latest: 1.0.0\n    versions:\n      1.0.0: prompts/summarize/1.0.0.md\n',
    tabs: false,
  },
]

describe('ast: inserted lines follow the file (issue 12)', () => {
  for (const edit of edits) {
    for (const style of [{crlf: true, tabs: false}, {crlf: false, tabs: true}, {crlf: true, tabs: true}]) {
      if (style.tabs && !edit.tabs) continue
      it(`${edit.name}: ${style.crlf ? 'CRLF' : 'LF'} line endings, ${style.tabs ? 'tab' : 'space'} indentation, and removal gives back the bytes`, () => {
        const source = (style.crlf ? crlf : (text: string) => text)(style.tabs ? tabs(edit.source) : edit.source)
        const added = edit.add(source)
        expect(added).not.to.equal(source)
        expectStyle(added, style)
        // the same edit as in an LF file, line for line
        const plain = edit.add(style.tabs ? tabs(edit.source) : edit.source)
        expect(added.replaceAll('\r\n', '\n')).to.equal(plain)
        expect(edit.remove(added)).to.equal(source)
      })
    }
  }

  it('services.ts: a queue service added to a tab-indented file whose services are on one line is indented with tabs', () => {
    const source = 'import { client } from "./client";\nimport { greet } from "./functions";\n\nasync function services() {\n\tawait Promise.all([\n\t\tclient.startService({ functions: { greet }, taskQueue: "restack" }),\n\t]);\n}\n'
    const added = registerFunction(source, {defaultQueue: 'restack', name: 'mail', taskQueue: 'email'})
    expect(added).to.include('\t\tclient.startService({\n\t\t\ttaskQueue: "email",\n\t\t\tfunctions: { mail },\n\t\t}),\n')
  })

  it('keeps a file with mixed line endings as it is, adding LF lines', () => {
    const source = 'export * from "./a";\r\nexport * from "./b";\n'
    expect(addBarrelExport(source, 'x.ts', 'c')).to.equal('export * from "./a";\r\nexport * from "./b";\nexport * from "./c";\n')
    expect(keepLineEndings('a\r\nb\r\n', (text) => `${text}c\n`)).to.equal('a\r\nb\r\nc\r\n')
  })

  it("finds the file's indentation unit", () => {
    expect(indentUnit('a\n\tb\n\t\tc\n')).to.equal('\t')
    expect(indentUnit('a\n    b\n        c\n')).to.equal('    ')
    expect(indentUnit('a\nb\n')).to.equal('  ')
  })
})
