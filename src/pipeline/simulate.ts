import {PipelineNode} from './ir.js'
import {ResolvedStep} from './resolve.js'

export interface Scenario {
  /** what every step's output says: continue (loops) and ok (conditionals) */
  continue: boolean
  ok: boolean
}

export interface Visit {
  /** the child id suffix for agents and workflows: -module or -module-round... */
  childId: string
  step: ResolvedStep
}

/**
 * The steps a run takes when every step passes `continue` and `ok` on unchanged, as scaffolded
 * steps do: the expected trail of the generated test, computed from the IR at generation time.
 */
export function simulate(root: PipelineNode, steps: Map<string, ResolvedStep>, scenario: Scenario, loopMax: (node: PipelineNode) => number): Visit[] {
  const visits: Visit[] = []
  const rounds: number[] = []
  const walk = (node: PipelineNode): void => {
    switch (node.type) {
      case 'step': {
        const step = steps.get(node.name)!
        visits.push({childId: [step.module, ...rounds].join('-'), step})
        break
      }

      case 'sequence':
        for (const item of node.items) walk(item)
        break
      case 'loop': {
        const max = loopMax(node)
        rounds.push(0)
        for (let round = 1; ; round++) {
          rounds[rounds.length - 1] = round
          for (const item of node.items) walk(item)
          if (round >= max || !scenario.continue) break
        }

        rounds.pop()
        break
      }

      case 'conditional':
        walk(node.condition)
        if (scenario.ok) walk(node.then)
        else if (node.else) walk(node.else)
        break
    }
  }

  walk(root)
  return visits
}
