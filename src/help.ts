import {Help} from '@oclif/core'

/** The short forms `g` and `d` stand for these commands, which also name the topics of their kinds. */
export const DISPATCH_ALIASES: Record<string, string> = {d: 'destroy', destroy: 'destroy', g: 'generate', generate: 'generate'}

/**
 * oclif's help, plus the forms with the kind as an argument: `restack g agent --help` (and `generate
 * agent`, `d agent`, `destroy agent`) is the help of generate:agent, with its flags and examples;
 * `restack g --help` is the help of generate, which lists the kinds.
 */
export default class RestackHelp extends Help {
  override async showHelp(argv: string[]): Promise<void> {
    const words = argv.filter((arg) => !arg.startsWith('-'))
    const topic = DISPATCH_ALIASES[words[0] ?? '']
    if (topic === undefined) return super.showHelp(argv)
    const kind = words[1]
    const command = kind === undefined ? undefined : this.config.findCommand(`${topic}:${kind}`)
    return super.showHelp(command ? [command.id] : [topic])
  }
}
