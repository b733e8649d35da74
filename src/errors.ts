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

/**
 * A generator refused a name that a unit of another kind holds. The runner can turn it into a
 * conflict (replace that unit with --force or a yes on a terminal, keep it with --skip).
 */
export class NameTakenError extends UserError {
  constructor(
    message: string,
    readonly taken: {file: string; kind: 'agent' | 'function' | 'pipeline' | 'workflow'; name: string},
    /** the kind the name was wanted for (a pipeline's scaffolded step wants a function) */
    readonly wanted: 'agent' | 'function' | 'pipeline' | 'workflow',
  ) {
    super(message)
  }
}
