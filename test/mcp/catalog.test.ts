import {expect} from 'chai'

import GenerateFunction from '../../src/commands/generate/function.js'
import GeneratePipeline from '../../src/commands/generate/pipeline.js'
import {optionsSchema, toArgv} from '../../src/mcp/catalog.js'
import {FieldError} from '../../src/mcp/field-error.js'

describe('mcp/catalog', () => {
  it("derives a generator's options from its flags: integers with their bounds, strings, booleans; no server-owned flags", async () => {
    const schema = await optionsSchema(GenerateFunction)
    const properties = schema.properties as Record<string, Record<string, unknown>>
    expect(properties['rate-limit']).to.include({minimum: 1, type: 'integer'})
    expect(properties['task-queue']).to.include({type: 'string'})
    expect(properties.force).to.include({type: 'boolean'}).and.to.have.property('description').that.match(/not together with skip/)
    expect(Object.keys(properties)).to.not.include.members(['dry-run', 'diff', 'json', 'verbose'])
    expect(schema.additionalProperties).to.equal(false)
  })

  it('turns options into the command line, after checking each with the flag itself', async () => {
    expect(await toArgv(GenerateFunction, 'SendEmail', {force: true, 'rate-limit': 5, skip: false, 'task-queue': 'email'})).to.deep.equal(['--force', '--rate-limit=5', '--task-queue=email', '--', 'SendEmail'])
    expect(await toArgv(GeneratePipeline, '-odd', {operators: 'A -> B'})).to.deep.equal(['--operators=A -> B', '--', '-odd'])
  })

  const refusal = async (options: Record<string, unknown>) => {
    const error = await toArgv(GenerateFunction, 'X', options).catch((error_: unknown) => error_)
    expect(error).to.be.instanceOf(FieldError)
    return error as FieldError
  }

  it('names the field of a bad option: unknown (with a guess), wrong type, out of bounds', async () => {
    expect((await refusal({'rate-limt': 1})).message).to.match(/^options\.rate-limt: "rate-limt" is not an option of this generator\. Did you mean "rate-limit"\?/)
    expect((await refusal({force: 'yes'})).field).to.equal('options.force')
    expect((await refusal({'rate-limit': 'fast'})).message).to.match(/^options\.rate-limit: Expected an integer but received: fast/)
    expect((await refusal({'rate-limit': 0})).message).to.match(/^options\.rate-limit: .*greater than or equal to 1/)
    expect((await refusal({'task-queue': ['a', 'b']})).message).to.match(/^options\.task-queue: .*one value/)
  })
})
