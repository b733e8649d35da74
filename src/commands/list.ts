import {RestackCommand} from '../command.js'
import {Entity, EntityKind, listEntities} from '../engine/entities.js'
import {settle} from '../engine/lock.js'
import {CONFIG_FILE, loadProject} from '../engine/project.js'
import {Tree} from '../engine/tree.js'
import {pipelineNames, readPipeline} from '../pipeline/config.js'
import {readRegistry, REGISTRY_FILE} from '../prompts/registry.js'

/** The `--json` result of `restack list`. */
export interface ListResult {
  entities: Record<`${EntityKind}s`, Entity[]>
  /** pipelines restack.yaml keeps, with their expression */
  pipelines: Array<{file: string; fileExists: boolean; name: string; operators: string}>
  /** prompts config/prompts.yaml registers, with their versions */
  prompts: Array<{latest?: string; name: string; versions: string[]}>
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
  static override description = 'Shows each agent, workflow and function with its file and whether it is registered (barrel, and services.ts for functions), each pipeline with its expression, and each prompt with its versions.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']
  static override summary = 'List the agents, workflows, functions, pipelines and prompts of the project'

  async run(): Promise<ListResult> {
    await this.parse(List)
    const project = loadProject(process.cwd())
    await settle(project.root)
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

    const tree = new Tree(project.root)
    const config = tree.read(CONFIG_FILE) ?? ''
    const pipelines = pipelineNames(config).map((name) => {
      const file = `src/workflows/${name}.ts`
      return {file, fileExists: tree.exists(file), name, operators: readPipeline(config, name)!.operators}
    })
    this.log(`pipelines (${pipelines.length})`)
    for (const pipeline of pipelines) this.log(`  ${pipeline.file}  ${pipeline.fileExists ? '' : '(file missing) '}${pipeline.operators}`)
    const registry = readRegistry(tree.read(REGISTRY_FILE) ?? '')
    const prompts = [...registry].map(([name, entry]) => ({latest: entry.latest, name, versions: [...entry.versions.keys()]}))
    this.log(`prompts (${prompts.length})`)
    for (const prompt of prompts) this.log(`  ${prompt.name}  ${prompt.versions.join(', ')}${prompt.latest ? ` (latest ${prompt.latest})` : ''}`)
    return {entities, pipelines, prompts, root: project.root}
  }
}
