import {UserError} from '../errors.js'

/** A bad argument of a tool call: the MCP result is an isError naming the field. */
export class FieldError extends UserError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`)
  }
}
