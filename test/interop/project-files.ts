/**
 * Files the interop suite writes into a generated project, as a user would: a generated workflow
 * (from `restack g workflow CallPython`) rewritten to call Python, and a script on the generated client.
 */

/** src/workflows/callPython.ts: steps into a Python function on the "python" queue and runs a Python child. */
export const CALL_PYTHON_WORKFLOW = `import { childExecute, step, workflowInfo } from "../restack/workflow";

/** The restack-ai service's functions (test/interop/python/interop_app.py), typed for step(). */
interface PythonFunctions {
  py_shout(input: { text: string }): Promise<{ shouted: string; by: string }>;
}

export interface CallPythonInput {
  text: string;
}

export async function callPythonWorkflow({ text }: CallPythonInput) {
  const shouted = await step<PythonFunctions>({ taskQueue: "python" }).py_shout({ text });
  const child = await childExecute<(input: { text: string }) => Promise<{ length: number; echo: string; by: string }>>({
    child: "PyChild",
    childId: \`\${workflowInfo().workflowId}-child\`,
    input: { text },
    taskQueue: "python",
  });
  return { shouted, child, workflowId: workflowInfo().workflowId };
}
`

/** scripts/interop.ts: the generated client (src/client.ts) driving restack-ai's side. Prints one JSON line. */
export const INTEROP_SCRIPT = `import { randomUUID } from "node:crypto";
import { client } from "../src/client";

async function main(): Promise<unknown> {
  const [command, arg] = process.argv.slice(2);
  switch (command) {
    case "schedule-py-agent": {
      const agentId = \`py-agent-\${randomUUID()}\`;
      const runId = await client.scheduleAgent({ agentName: "PyAgent", agentId, input: {}, taskQueue: "python" });
      return { agentId, runId };
    }
    case "py-agent-state":
      return client.getAgentState({ agentId: arg, stateName: "messages_state" });
    case "call-python": {
      const workflowId = \`call-python-\${randomUUID()}\`;
      await client.scheduleWorkflow({ workflowName: "callPythonWorkflow", workflowId, input: { text: arg } });
      return client.getWorkflowResult({ workflowId, timeout: 60_000 });
    }
    case "large-to-python": {
      const text = "y".repeat(Number(arg));
      const workflowId = \`large-\${randomUUID()}\`;
      await client.scheduleWorkflow({ workflowName: "PyChild", workflowId, input: { text }, taskQueue: "python" });
      const result = await client.getWorkflowResult<{ length: number; echo: string; by: string }>({ workflowId, timeout: 60_000 });
      return { length: result.length, echoed: result.echo === text, by: result.by };
    }
    default:
      throw new Error(\`unknown command \${command}\`);
  }
}

main()
  .then((result) => console.log(JSON.stringify(result)))
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => client.close());
`
