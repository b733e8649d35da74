import {RestackCommand} from '../command.js'
import {Entity} from '../engine/entities.js'
import {inventory, ListResult} from '../engine/inventory.js'
import {settle, settleInterruptedInit} from '../engine/lock.js'
import {loadProject} from '../engine/project.js'

export type {ListResult} from '../engine/inventory.js'

const status = (entity: Entity): string => {
  const problems = [
    ...(entity.fileExists ? [] : ['file missing']),
    ...(entity.barrel ? [] : ['not in index.ts']),
    ...(entity.kind === 'function' && !entity.service ? ['not in services.ts'] : []),
  ]
  if (problems.length > 0) return problems.join(', ')
  return entity.kind === 'function' ? `registered, queue ${entity.taskQueue}` : 'registered'
}

export default class List extends RestackCommand {
  static override description = 'Shows each agent, workflow and function with its file and whether it is registered (barrel, and services.ts for functions), each pipeline with its expression, and each prompt with its versions.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']
  static override summary = 'List the agents, workflows, functions, pipelines and prompts of the project'

  async run(): Promise<ListResult> {
    await this.parse(List)
    await settleInterruptedInit(process.cwd())
    const project = loadProject(process.cwd())
    await settle(project.root)
    const result = inventory(project)
    for (const [group, members] of Object.entries(result.entities)) {
      this.log(`${group} (${members.length})`)
      const width = Math.max(0, ...members.map((entity) => entity.file.length))
      for (const entity of members) this.log(`  ${entity.file.padEnd(width)}  ${status(entity)}`)
    }

    this.log(`pipelines (${result.pipelines.length})`)
    for (const pipeline of result.pipelines) this.log(`  ${pipeline.file}  ${pipeline.fileExists ? '' : '(file missing) '}${pipeline.operators}`)
    this.log(`prompts (${result.prompts.length})`)
    for (const prompt of result.prompts) this.log(`  ${prompt.name}  ${prompt.versions.join(', ')}${prompt.latest ? ` (latest ${prompt.latest})` : ''}`)
    return result
  }
}
