import {Args, loadHelpClass} from '@oclif/core'

import {RestackCommand} from './command.js'
import {quote, UserError} from './errors.js'
import {closest} from './engine/suggest.js'

/**
 * `restack g <kind> <Name>` and `restack d <kind> <Name>`: the kind as an argument, for Rails muscle
 * memory. Runs `<topic>:<kind>` with every other argument as given. (`restack generate <kind>` finds
 * generate:<kind> directly: the topic separator is a space.) Help for these forms: src/help.ts.
 */
export abstract class DispatchCommand extends RestackCommand {
  static override args = {
    kind: Args.string({description: 'the kind of unit: agent, workflow, function, ...', required: true}),
    name: Args.string({description: 'its name, in any case'}),
  }

  static override enableJsonFlag = false
  static override strict = false

  protected abstract topic: string

  /** --json belongs to the command dispatched to, and to this one's own errors (a kind that does not exist). */
  override jsonEnabled(): boolean {
    const end = this.argv.indexOf('--')
    return (end === -1 ? this.argv : this.argv.slice(0, end)).includes('--json')
  }

  // The flags belong to the command dispatched to, so they are passed on unparsed.
  async run(): Promise<unknown> {
    const kinds = this.config.commandIDs.filter((id) => id.startsWith(`${this.topic}:`)).map((id) => id.slice(this.topic.length + 1))
    const kind = this.argv.find((arg) => !arg.startsWith('-'))
    // A bare `restack g`: what `restack g --help` shows, the kinds with a summary each.
    if (kind === undefined) {
      const Help = await loadHelpClass(this.config)
      await new Help(this.config, this.config.pjson.oclif.helpOptions).showHelp([this.topic])
      return
    }

    if (!kinds.includes(kind)) {
      const guess = closest(kind, kinds)
      throw new UserError(
        `${quote(kind)} is not something restack can ${this.topic}.${guess ? ` Did you mean ${quote(guess)}?` : ''} Kinds: ${kinds.join(', ')}; e.g. "restack ${this.topic} ${guess ?? kinds[0]} Name".`,
        2,
      )
    }

    const rest = [...this.argv]
    rest.splice(rest.indexOf(kind), 1)
    // The command dispatched to prints its own result (its JSON too): nothing is left to print here.
    await this.config.runCommand(`${this.topic}:${kind}`, rest)
    return undefined
  }
}
