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
 * The steps a run takes when the input carries the scenario's `continue` and `ok`: steps that echo
 * their input (scaffolded pipeline steps) return the flags unchanged, every other step returns no
 * flags, and each loop and conditional follows its deciding (last) step's own output. The expected
 * trail of the generated test, computed from the IR at generation time.
 */
export function simulate(
  root: PipelineNode,
  steps: Map<string, ResolvedStep>,
  scenario: Scenario,
  loopMax: (node: PipelineNode) => number,
  echoes: (step: ResolvedStep) => boolean = () => true,
): Visit[] {
  const visits: Visit[] = []
  let last: ResolvedStep | undefined
  const says = (flag: boolean): boolean => flag && last !== undefined && echoes(last)
  const rounds: number[] = []
  const walk = (node: PipelineNode): void => {
    switch (node.type) {
      case 'step': {
        const step = steps.get(node.name)!
        visits.push({childId: [step.module, ...rounds].join('-'), step})
        last = step
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
          if (round >= max || !says(scenario.continue)) break
        }

        rounds.pop()
        break
      }

      case 'conditional':
        walk(node.condition)
        if (says(scenario.ok)) walk(node.then)
        else if (node.else) walk(node.else)
        break
    }
  }

  walk(root)
  return visits
}
