/**
 * An error the user can fix: its message is one paragraph naming the bad value and the fix.
 * Commands print it without a stack trace and exit with `exitCode`.
 */
export class UserError extends Error {
  override readonly name = 'UserError'

  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message)
  }
}

// By name, not instanceof: the bundled CLI and a plugin (which imports lib/index.js) hold two copies of this class.
export const isUserError = (error: unknown): error is UserError =>
  error instanceof Error && error.name === 'UserError' && typeof (error as Partial<UserError>).exitCode === 'number'

/** Quote a value for an error message the way every message in the CLI does. */
export const quote = (value: string): string => JSON.stringify(value)
