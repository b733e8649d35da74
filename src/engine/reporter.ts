import type {Colorize} from './output.js'

/** How an engine function talks to the person at the terminal; commands supply it. */
export interface Reporter {
  colorize: Colorize
  /** result lines (stdout; silent under --json) */
  log(line: string): void
  /** progress and notices (stderr) */
  notice(line: string): void
  /** a spinner on a TTY, plain lines otherwise */
  progress<T>(message: string, work: () => Promise<T>): Promise<T>
  verbose: boolean
}

export const silentReporter: Reporter = {
  colorize: (_color, text) => text,
  log() {},
  notice() {},
  progress: (_message, work) => work(),
  verbose: false,
}
