import {PipelineNode} from './ir.js'
import {ResolvedStep, stepsOf} from './resolve.js'

export interface CodegenInput {
  /** the exported workflow function, e.g. blogPipeline */
  exportName: string
  expression: string
  /** the most rounds of each loop, by loop key */
  loopMax: (key: string) => number
  pascal: string
  steps: Map<string, ResolvedStep>
  root: PipelineNode
}

/** A predicate the compiled workflow calls: its name and its default text, for the user-owned predicates file. */
export interface Predicate {
  name: string
  text: string
}

export interface GeneratedPipeline {
  /** loop keys and their max, in source order */
  loops: Array<{key: string; label: string; max: number}>
  predicates: Predicate[]
  source: string
}

/** Where a pipeline's predicates live: a file the user owns, which regeneration only ever appends to. */
export const predicatesPath = (exportName: string): string => `src/pipelines/${exportName}.ts`

/** A new predicates file: its header, then the predicates. */
export function predicatesFile(exportName: string, predicates: Predicate[]): string {
  return [
    `// The predicates of the pipeline ${exportName} (src/workflows/${exportName}.ts): this file is yours.`,
    `// Each loop and conditional asks one of them, with the deciding step's own output (the object it`,
    `// returned), the pipeline data so far and, for loops, the round. restack never rewrites this file:`,
    `// when the expression changes it only appends the predicates of new loops and conditionals.`,
    `// It runs in the workflow sandbox: keep it deterministic (no I/O, clock or randomness).`,
    '',
    `type PipelineData = Record<string, unknown>;`,
    '',
    ...predicates.map((predicate) => `${predicate.text}\n`),
  ].join('\n')
}

const pascalOf = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1)
const camelOf = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1)

/** How a node reads in the expression, for comments: IDEATE ⇄ RESEARCH. */
export function label(node: PipelineNode, nested = false): string {
  switch (node.type) {
    case 'step':
      return node.name
    case 'sequence': {
      const text = node.items.map((item) => label(item, true)).join(' → ')
      return nested ? `(${text})` : text
    }

    case 'loop': {
      const text = node.items.map((item) => label(item, true)).join(' ⇄ ')
      return nested ? `(${text})` : text
    }

    case 'conditional': {
      const text = `${label(node.condition, true)} →? (${label(node.then)}${node.else ? `, ${label(node.else)}` : ''})`
      return nested ? `(${text})` : text
    }
  }
}

/** A stable identifier for a loop or conditional from its step names: ideateResearch. */
export const keyOf = (node: PipelineNode): string => camelOf(stepsOf(node).map((step) => pascalOf(step.name.toLowerCase().replaceAll(/[-_](\w)/g, (_m, c: string) => c.toUpperCase()))).join(''))

/**
 * Compiles the IR into a readable workflow: one statement per step, a bounded `for` per loop with
 * its predicate as a small named function, an `if` per conditional. No interpreter at run time.
 */
export function generatePipeline(input: CodegenInput): GeneratedPipeline {
  const {exportName, pascal, steps} = input
  const data = `${pascal}Data`
  const loops: GeneratedPipeline['loops'] = []
  const predicates: Predicate[] = []
  const usedKeys = new Map<string, number>()
  const unique = (key: string): string => {
    const count = usedKeys.get(key) ?? 0
    usedKeys.set(key, count + 1)
    return count === 0 ? key : `${key}${count + 1}`
  }

  let roundDepth = 0
  const rounds: string[] = []
  const body = (node: PipelineNode, indent: string): string[] => {
    switch (node.type) {
      case 'step': {
        const step = steps.get(node.name)!
        const call =
          step.kind === 'function'
            ? `step<typeof functions>(${step.taskQueue ? `{ taskQueue: "${step.taskQueue}" }` : '{}'}).${step.exportName}(asInput<typeof functions.${step.exportName}>(data))`
            : `childExecute({ child: ${step.exportName}, childId: \`\${workflowInfo().workflowId}-${step.module}${rounds.map((round) => `-\${${round}}`).join('')}\`, input: asInput<typeof ${step.exportName}>(data) })`
        return [`${indent}output = await ${call};`, `${indent}data = asData(output, data);`]
      }

      case 'sequence':
        return node.items.flatMap((item) => body(item, indent))

      case 'loop': {
        const key = unique(keyOf(node))
        const max = input.loopMax(label(node))
        loops.push({key, label: label(node), max})
        const round = `round${roundDepth === 0 ? '' : roundDepth + 1}`
        const predicate = `repeat${pascalOf(key)}`
        predicates.push({
          name: predicate,
          text: [
            `/** ${label(node)}: run the loop again? By default while its last step's own output says \`continue: true\`. */`,
            `export function ${predicate}(output: PipelineData, data: PipelineData, round: number): boolean {`,
            `  return output.continue === true;`,
            `}`,
          ].join('\n'),
        })
        roundDepth++
        rounds.push(round)
        const inner = node.items.flatMap((item) => body(item, `${indent}  `))
        rounds.pop()
        roundDepth--
        return [
          `${indent}// ${label(node)}: at most ${exportName}LoopMax.${key} rounds`,
          `${indent}for (let ${round} = 1; ; ${round}++) {`,
          ...inner,
          `${indent}  if (${round} >= ${exportName}LoopMax.${key} || !predicates.${predicate}(own(output), data, ${round})) break;`,
          `${indent}}`,
        ]
      }

      case 'conditional': {
        const key = unique(keyOf(node.condition))
        const predicate = `${key}Passed`
        predicates.push({
          name: predicate,
          text: [
            `/** After ${label(node.condition)}: take the first branch? By default when its last step's own output says \`ok: true\`. */`,
            `export function ${predicate}(output: PipelineData, data: PipelineData): boolean {`,
            `  return output.ok === true;`,
            `}`,
          ].join('\n'),
        })
        return [
          `${indent}// ${label(node)}`,
          ...body(node.condition, indent),
          `${indent}if (predicates.${predicate}(own(output), data)) {`,
          ...body(node.then, `${indent}  `),
          ...(node.else ? [`${indent}} else {`, ...body(node.else, `${indent}  `)] : []),
          `${indent}}`,
        ]
      }
    }
  }

  const statements = body(input.root, '  ')
  const used = [...new Map([...steps.values()].map((step) => [step.exportName, step])).values()]
  const children = used.filter((step) => step.kind !== 'function')
  const imports = [
    ...(used.some((step) => step.kind === 'function') ? ['import type * as functions from "../functions";'] : []),
    ...children.filter((step) => step.kind === 'agent').map((step) => `import { ${step.exportName} } from "../agents/${step.module}";`),
    ...children.filter((step) => step.kind === 'workflow').map((step) => `import { ${step.exportName} } from "./${step.module}";`),
    `import { asData, asInput } from "../pipelines/pipeline-data";`,
    ...(predicates.length > 0 ? [`import * as predicates from "../pipelines/${exportName}";`] : []),
    `import { ${[...(children.length > 0 ? ['childExecute'] : []), 'log', ...(used.some((step) => step.kind === 'function') ? ['step'] : []), 'workflowInfo'].join(', ')} } from "../restack/workflow";`,
  ]
  const source = [
    `// Pipeline ${exportName}, compiled by restack-gen from:`,
    `//   ${input.expression}`,
    `// The expression lives in restack.yaml (pipelines.${exportName}); to change it run`,
    `// "restack g pipeline ${exportName} --operators '...'", which rewrites this file. Loops and`,
    `// conditionals ask the predicates in ${predicatesPath(exportName)}, which are yours to edit.`,
    ...imports,
    '',
    `/** What flows between the steps: each step gets the previous step's output. */`,
    `export type ${data} = Record<string, unknown>;`,
    '',
    ...(loops.length > 0
      ? [
          `/** The most rounds each refinement loop runs (restack.yaml: pipelines.${exportName}.loopMax, else defaults.pipelineLoopMax). */`,
          `export const ${exportName}LoopMax = {`,
          ...loops.map((loop) => `  ${loop.key}: ${loop.max}, // ${loop.label}`),
          `} as const;`,
          '',
        ]
      : []),
    ...(predicates.length > 0
      ? [
          `/** A step's own output as the predicates read it: the object it returned, else {}. */`,
          `const own = (output: unknown): ${data} =>`,
          `  typeof output === "object" && output !== null && !Array.isArray(output) ? (output as ${data}) : {};`,
          '',
        ]
      : []),
    `export async function ${exportName}(input: ${data} = {}): Promise<${data}> {`,
    `  log.info("${exportName} started", { workflowId: workflowInfo().workflowId });`,
    `  let data: ${data} = input;`,
    `  let output: unknown;`,
    ...statements,
    `  return data;`,
    `}`,
    '',
  ].join('\n')
  return {loops, predicates, source}
}
