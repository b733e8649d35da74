import {Visit} from './simulate.js'

export interface TestgenInput {
  exportName: string
  /** the expression has loops or conditionals, so the two scenarios differ */
  branches: boolean
  kebab: string
  /** every step is a scaffolded pipeline step (it adds itself to `trail` and passes flags on) */
  shaped: boolean
  /** the visits for {continue: true, ok: true} and {continue: false, ok: false} */
  whenContinuing: Visit[]
  whenStopping: Visit[]
}

const list = (items: string[]): string => `[${items.map((item) => JSON.stringify(item)).join(', ')}]`

/** The pipeline's test: on the dev server, both scenarios, with the expected trails spelled out. */
export function generatePipelineTest(input: TestgenInput): string {
  const {exportName, kebab} = input
  const agents = (visits: Visit[]) => visits.filter((visit) => visit.step.kind === 'agent').map((visit) => visit.childId)
  const children = (visits: Visit[]) => visits.filter((visit) => visit.step.kind !== 'function')
  const scenario = (title: string, flags: string, visits: Visit[]) => [
    `  it(${JSON.stringify(title)}, async () => {`,
    `    const { ${input.shaped || children(visits).length === 0 ? 'result' : 'result, workflowId'} } = await run({ ...SAMPLE_INPUT, ${flags} }, ${list(agents(visits))});`,
    ...(input.shaped
      ? [`    expect(result.trail).to.deep.equal(${list(visits.map((visit) => visit.step.exportName))});`]
      : [
          `    expect(result).to.be.an("object");`,
          // one variable per child run: a step can run more than once (in a loop, or named twice)
          ...children(visits).flatMap((visit, index) => [
            `    const child${index + 1} = await engine.env.client.workflow.getHandle(\`\${engine.workflowId(workflowId)}-${visit.childId}\`).describe();`,
            `    expect([child${index + 1}.type, child${index + 1}.status.name]).to.deep.equal([${JSON.stringify(visit.step.exportName)}, "COMPLETED"]);`,
          ]),
        ]),
    `  });`,
  ]
  return [
    `import { randomUUID } from "node:crypto";`,
    `import { expect } from "chai";`,
    `import { Engine, startEngine } from "../helpers/temporal";`,
    '',
    `/** What the first step gets, besides the flags each test sets; adjust it to what your steps expect. */`,
    `const SAMPLE_INPUT = { name: "Ada", text: "hello" };`,
    '',
    `describe(${JSON.stringify(exportName)}, () => {`,
    `  let engine: Engine;`,
    '',
    `  before(async () => {`,
    `    engine = await startEngine();`,
    `  });`,
    '',
    `  /** Runs the pipeline; agents it runs as children finish when they receive "end", sent here in order. */`,
    `  const run = async (input: Record<string, unknown>, agents: string[]) => {`,
    `    const workflowId = \`${kebab}-\${randomUUID()}\`;`,
    `    await engine.client.scheduleWorkflow({ workflowName: ${JSON.stringify(exportName)}, workflowId, input, taskQueue: engine.taskQueue });`,
    `    for (const agent of agents) await endWhenStarted(\`\${workflowId}-\${agent}\`);`,
    `    return { result: await engine.client.getWorkflowResult<Record<string, unknown>>({ workflowId }), workflowId };`,
    `  };`,
    '',
    `  const endWhenStarted = async (agentId: string) => {`,
    `    const deadline = Date.now() + 30_000;`,
    `    for (;;) {`,
    `      try {`,
    `        await engine.client.sendAgentEvent({ event: { name: "end" }, agent: { agentId } });`,
    `        return;`,
    `      } catch (error) {`,
    `        if (Date.now() > deadline) throw error;`,
    `        await new Promise((resolve) => setTimeout(resolve, 100));`,
    `      }`,
    `    }`,
    `  };`,
    '',
    ...(input.branches
      ? [
          ...scenario('runs every loop to its max while the steps say continue, and takes the first branches', 'continue: true, ok: true', input.whenContinuing),
          '',
          ...scenario('runs every loop once when the steps say stop, and takes the other branches', 'continue: false, ok: false', input.whenStopping),
        ]
      : scenario('runs every step in order, agents and workflows as child workflows', 'continue: false, ok: false', input.whenStopping)),
    `});`,
    '',
  ].join('\n')
}
