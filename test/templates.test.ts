import {expect} from 'chai'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {UserError} from '../src/errors.js'
import {listTemplates, outputPath, renderKind, renderTemplate} from '../src/templates.js'
import {useTempDir} from './helpers/fs.js'

const context = {appName: 'demo', cliVersion: '0.0.0', taskQueue: 'restack', temporalVersion: '1.24.0', runtime: 'bundled'}

describe('templates', () => {
  const dir = useTempDir()

  it('maps template paths to output paths, dotfiles through a leading underscore', () => {
    expect(outputPath('src/services.ts.hbs')).to.equal('src/services.ts')
    expect(outputPath('_gitignore.hbs')).to.equal('.gitignore')
  })

  it('renders every template of a kind with the variables filled in', async () => {
    const files = await renderKind('new', context)
    expect(files.map((file) => file.path)).to.include.members(['package.json', '.gitignore', '.env.example', 'src/services.ts'])
    const yaml = files.find((file) => file.path === 'restack.yaml')!
    expect(yaml.content).to.match(/app: "demo"/).and.not.match(/\{\{/)
  })

  it('uses a project override from .restack/templates and says so', async () => {
    const template = listTemplates('new').find((path) => path.endsWith('restack.yaml.hbs'))!
    mkdirSync(join(dir.path, '.restack/templates/new'), {recursive: true})
    writeFileSync(join(dir.path, '.restack/templates', template), 'restack: 1\napp: {{appName}}-custom\n')
    const rendered = await renderTemplate(template, context, dir.path)
    expect(rendered.content).to.equal('restack: 1\napp: demo-custom\n')
    expect(rendered.template).to.equal(`.restack/templates/${template}`)
  })

  it('fails on a variable the context lacks instead of writing an empty string', async () => {
    const template = listTemplates('new').find((path) => path.endsWith('restack.yaml.hbs'))!
    mkdirSync(join(dir.path, '.restack/templates/new'), {recursive: true})
    writeFileSync(join(dir.path, '.restack/templates', template), 'app: {{appTitle}}\n')
    const error = await renderTemplate(template, context, dir.path).catch((error_) => error_)
    expect(error).to.be.instanceOf(UserError)
    expect(error.message).to.match(/"\.restack\/templates\/new\/restack\.yaml\.hbs" could not be rendered: "appTitle" not defined.*Fix or remove your override/)
  })
})
