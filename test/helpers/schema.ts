import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {Ajv} from 'ajv'

import {REPO_ROOT} from './cli.js'

const ajv = new Ajv({allErrors: true, strict: true})

/** Validates a command's --json output against schemas/<name>.schema.json, failing with ajv's errors. */
export function assertMatchesSchema(name: string, value: unknown): void {
  const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', `${name}.schema.json`), 'utf8'))
  const validate = ajv.getSchema(schema.$id) ?? ajv.compile(schema)
  if (!validate(value)) throw new Error(`${name}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value, null, 2)}`)
}
