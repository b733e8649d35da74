import {DispatchCommand} from '../../dispatch-command.js'

export default class Destroy extends DispatchCommand {
  static override aliases = ['d']
  static override examples = ['<%= config.bin %> d agent Support', '<%= config.bin %> destroy function SendEmail --dry-run']
  static override summary = 'Remove what a generator made (destroy:<kind> with the kind as an argument)'
  protected topic = 'destroy'
}
