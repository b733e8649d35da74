import {pipelineNames, readPipeline} from '../pipeline/config.js'
import {readRegistry, REGISTRY_FILE} from '../prompts/registry.js'
import {Entity, EntityKind, listEntities} from './entities.js'
import {CONFIG_FILE, Project} from './project.js'
import {Tree} from './tree.js'

/** The `--json` result of `restack list` (and of the list tool of `restack mcp`). */
export interface ListResult {
  entities: Record<`${EntityKind}s`, Entity[]>
  /** pipelines restack.yaml keeps, with their expression */
  pipelines: Array<{file: string; fileExists: boolean; name: string; operators: string}>
  /** prompts config/prompts.yaml registers, with their versions */
  prompts: Array<{latest?: string; name: string; versions: string[]}>
  root: string
}

/** The project's units and where each is registered, read from disk (a settled project). */
export function inventory(project: Project): ListResult {
  const tree = new Tree(project.root)
  const all = listEntities(tree, project.config.defaults.taskQueue)
  const entities = {
    agents: all.filter((entity) => entity.kind === 'agent'),
    functions: all.filter((entity) => entity.kind === 'function'),
    workflows: all.filter((entity) => entity.kind === 'workflow'),
  }
  const config = tree.read(CONFIG_FILE) ?? ''
  const pipelines = pipelineNames(config).map((name) => {
    const file = `src/workflows/${name}.ts`
    return {file, fileExists: tree.exists(file), name, operators: readPipeline(config, name)!.operators}
  })
  const registry = readRegistry(tree.read(REGISTRY_FILE) ?? '')
  const prompts = [...registry].map(([name, entry]) => ({latest: entry.latest, name, versions: [...entry.versions.keys()]}))
  return {entities, pipelines, prompts, root: project.root}
}
