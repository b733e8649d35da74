import {RestackCommand} from '../../command.js'
import {settle} from '../../engine/lock.js'
import {loadProject} from '../../engine/project.js'
import {runService} from '../../server/run.js'

export default class RunServer extends RestackCommand {
  static override aliases = ['up']
  static override description = `Loads .env (variables already in the environment win), checks that the engine at RESTACK_ENGINE_ADDRESS (default localhost:7233) answers, then runs src/services.ts. SIGINT and SIGTERM are passed to the service, and the command exits with the service's status.`
  static override enableJsonFlag = false
  static override examples = ['<%= config.bin %> <%= command.id %>', 'RESTACK_ENGINE_ADDRESS=127.0.0.1:7233 <%= config.bin %> up']
  static override summary = "Run the project's service (its agents, workflows and functions)"

  async run(): Promise<void> {
    await this.parse(RunServer)
    const project = loadProject(process.cwd())
    // Never start a service from a project a killed command left half-written.
    await settle(project.root)
    const code = await runService(project.root)
    if (code !== 0) this.exit(code)
  }
}
