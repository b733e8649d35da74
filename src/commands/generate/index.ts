import {DispatchCommand} from '../../dispatch-command.js'

export default class Generate extends DispatchCommand {
  static override aliases = ['g']
  static override examples = ['<%= config.bin %> g agent Support --events message,feedback', '<%= config.bin %> generate function SendEmail --dry-run']
  static override summary = 'Generate an agent, workflow, function, ...: restack g <kind> <Name>'
  protected topic = 'generate'
}
