import {Args} from '@oclif/core'

import {RestackCommand} from './command.js'
import {quote, UserError} from './errors.js'
import {closest} from './engine/suggest.js'

/**
 * `restack generate <kind> <Name>` and `restack destroy <kind> <Name>` (aliases g and d): the kind
 * as an argument, for Rails muscle memory. Runs `<topic>:<kind>` with every other argument as given.
 */
export abstract class DispatchCommand extends RestackCommand {
  static override args = {
    kind: Args.string({description: 'what to generate: agent, workflow, function, ...', required: true}),
    name: Args.string({description: 'its name, in any case'}),
  }

  static override enableJsonFlag = false
  static override strict = false

  protected abstract topic: string

  // The flags belong to the command dispatched to, so they are passed on unparsed.
  async run(): Promise<unknown> {
    const kinds = this.config.commandIDs.filter((id) => id.startsWith(`${this.topic}:`)).map((id) => id.slice(this.topic.length + 1))
    const kind = this.argv.find((arg) => !arg.startsWith('-'))
    if (kind === undefined) {
      throw new UserError(`Say what to ${this.topic}: one of ${kinds.join(', ')}, e.g. "restack ${this.topic} ${kinds[0]} Name".`, 2)
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
    return this.config.runCommand(`${this.topic}:${kind}`, rest)
  }
}
