import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {FRONT_MATTER, parsePromptFile, PLACEHOLDER} from '../../src/prompts/file.js'
import {renderTemplate, TEMPLATES_DIR} from '../../src/templates.js'

const message = (source: string): string => {
  try {
    parsePromptFile(source)
  } catch (error) {
    return (error as Error).message
  }

  throw new Error('parsed')
}

describe('prompts/file', () => {
  it('reads front matter and text, with LF or CRLF line ends', () => {
    const source = '---\ndescription: Greets.\nvariables:\n  name: who to greet\n  tone:\n---\nHello {{ name }}, in a {{tone}} tone. {"json": {"stays": true}}\n'
    for (const text of [source, source.replaceAll('\n', '\r\n')]) {
      const file = parsePromptFile(text)
      expect(file.description).to.equal('Greets.')
      expect([...file.variables]).to.deep.equal([
        ['name', 'who to greet'],
        ['tone', ''],
      ])
      expect(file.text.replaceAll('\r', '')).to.equal('Hello {{ name }}, in a {{tone}} tone. {"json": {"stays": true}}')
    }
  })

  it('refuses what the loader refuses, saying what is wrong', () => {
    expect(message('Hello\n')).to.match(/no front matter/)
    expect(message('---\nvariables: [a]\n---\nx\n')).to.match(/"variables" in its front matter must map each variable/)
    expect(message('---\nvariables:\n  a b: x\n---\nx\n')).to.match(/the variable "a b" is not a name/)
    expect(message('---\nvariables: {}\n---\nHi {{who}}\n')).to.match(/uses \{\{who\}\}, which its front matter does not declare: add "who: <what it is>"/)
    expect(message('---\nvariables: [\n---\nx\n')).to.match(/front matter is not valid YAML/)
  })

  it('shares its syntax with the loader a project gets', () => {
    const loader = readFileSync(join(TEMPLATES_DIR, 'new/src/prompts/loader.ts.hbs'), 'utf8')
    expect(loader).to.include(`const PLACEHOLDER = /${PLACEHOLDER.source}/g;`)
    expect(loader).to.include(`const FRONT_MATTER = /${FRONT_MATTER.source}/;`)
  })

  it('ships templates the project gets as they are written: no Handlebars expression in the loader, its test or the registry', async () => {
    for (const template of ['new/src/prompts/loader.ts.hbs', 'new/test/prompts/loader.test.ts.hbs', 'new/config/prompts.yaml.hbs']) {
      const raw = readFileSync(join(TEMPLATES_DIR, template), 'utf8')
      expect((await renderTemplate(template, {})).content, template).to.equal(raw.replaceAll('\\{{', '{{'))
    }
  })
})
