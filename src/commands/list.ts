import {RestackCommand} from '../command.js'
import {Entity, EntityKind, listEntities} from '../engine/entities.js'
import {loadProject} from '../engine/project.js'
import {Tree} from '../engine/tree.js'

/** The `--json` result of `restack list`. */
export interface ListResult {
  entities: Record<`${EntityKind}s`, Entity[]>
  root: string
}

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
  static override description = 'Shows each agent, workflow and function with its file and whether it is registered (barrel, and services.ts for functions).'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']
  static override summary = 'List the agents, workflows and functions of the project'

  async run(): Promise<ListResult> {
    await this.parse(List)
    const project = loadProject(process.cwd())
    const all = listEntities(new Tree(project.root), project.config.defaults.taskQueue)
    const entities = {
      agents: all.filter((entity) => entity.kind === 'agent'),
      functions: all.filter((entity) => entity.kind === 'function'),
      workflows: all.filter((entity) => entity.kind === 'workflow'),
    }
    for (const [group, members] of Object.entries(entities)) {
      this.log(`${group} (${members.length})`)
      const width = Math.max(0, ...members.map((entity) => entity.file.length))
      for (const entity of members) this.log(`  ${entity.file.padEnd(width)}  ${status(entity)}`)
    }

    return {entities, root: project.root}
  }
}
