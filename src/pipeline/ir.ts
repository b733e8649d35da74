/**
 * The pipeline IR: what the parser produces from an operator expression (DESIGN §6) and what the
 * resolver and codegen consume. Positions are 0-based offsets into the expression (columns are
 * offset + 1 in messages).
 */
export type PipelineNode = ConditionalNode | LoopNode | SequenceNode | StepNode

/** A name: an agent, workflow or function of the project (resolved later, case-insensitively). */
export interface StepNode {
  end: number
  name: string
  start: number
  type: 'step'
}

/** `A → B → C`: each step gets the previous step's output. Always 2+ items; never nested directly in a sequence. */
export interface SequenceNode {
  items: PipelineNode[]
  type: 'sequence'
}

/** `A ⇄ B ⇄ C`: run the group in order, repeat while the last output says continue, up to a max. Always 2+ items. */
export interface LoopNode {
  items: PipelineNode[]
  type: 'loop'
}

/** `C →? (T, F)`: run C; if its output is ok run T, else F (or pass C's output on when F is absent). */
export interface ConditionalNode {
  condition: PipelineNode
  else?: PipelineNode
  then: PipelineNode
  type: 'conditional'
}
