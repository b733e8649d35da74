import {DispatchCommand} from '../../dispatch-command.js'

export default class Destroy extends DispatchCommand {
  static override aliases = ['d']
  static override examples = ['<%= config.bin %> d agent Support', '<%= config.bin %> destroy function SendEmail --dry-run']
  static override summary = 'Remove what a generator made: restack d <kind> <Name>'
  protected topic = 'destroy'
}
