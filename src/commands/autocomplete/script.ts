import {Args} from '@oclif/core'
import {join} from 'node:path'

import {RestackCommand} from '../../command.js'
import {dynamicBashCompletion} from '../../completion/bash.js'

/**
 * Replaces @oclif/plugin-autocomplete's `autocomplete:script` (the line its setup puts in .bashrc):
 * the same setup line, and for bash the completion of kinds and existing entity names on top.
 */
export default class AutocompleteScript extends RestackCommand {
  static override args = {shell: Args.string({description: 'shell type', options: ['bash', 'zsh', 'powershell']})}
  static override description = 'outputs autocomplete config script for shells'
  static override enableJsonFlag = false
  static override hidden = true

  async run(): Promise<void> {
    const {args} = await this.parse(AutocompleteScript)
    const shell = args.shell ?? this.config.shell
    const cacheDir = join(this.config.cacheDir, 'autocomplete')
    if (shell === 'powershell') {
      this.log(`. ${join(cacheDir, 'functions', 'powershell', `${this.config.bin}.ps1`)}`)
      return
    }

    const variable = `${this.config.bin.toUpperCase().replaceAll('-', '_')}_AC_${shell.toUpperCase()}_SETUP_PATH`
    this.log(`\n${variable}=${join(cacheDir, `${shell}_setup`)} && test -f $${variable} && source $${variable}; # ${this.config.bin} autocomplete setup`)
    if (shell !== 'bash') return
    const kinds = (topic: string) => this.config.commandIDs.filter((id) => id.startsWith(`${topic}:`)).map((id) => id.slice(topic.length + 1)).sort()
    this.log(dynamicBashCompletion(this.config.bin, this.config.commandIDs, kinds('generate'), kinds('destroy')))
  }
}
