"""restack-ai client scenarios against a generated project. Usage: client.py <scenario> [json]; prints one JSON line."""

import asyncio
import json
import sys
import uuid

from interop_app import restack_client
from restack_ai.event import AgentEvent
from temporalio.client import WorkflowExecutionStatus


async def greeter(_: dict) -> dict:
    """Drives the generated agentGreeter with every kind of call restack-ai has."""
    client = restack_client()
    agent_id = f"greeter-{uuid.uuid4()}"
    run_id = await client.schedule_agent(agent_name="agentGreeter", agent_id=agent_id, agent_input={})
    completed = await client.send_agent_event("greet", agent_id, event_input={"name": "Ada"}, wait_for_completion=True)
    accepted = await client.send_agent_event("greet", agent_id, event_input={"name": "Grace"})
    accepted_result = await accepted.result()
    again = await client.schedule_agent(
        agent_name="agentGreeter", agent_id=agent_id, event=AgentEvent(name="greet", input={"name": "Bo"})
    )
    state = await client.get_agent_state(agent_id, "greetings")
    first_run = await client.get_agent_handle(agent_id, run_id)
    sent = 0
    while (await first_run.describe()).status == WorkflowExecutionStatus.RUNNING:
        if sent >= 40:
            raise RuntimeError("no continue-as-new after 40 greets")
        await client.send_agent_event("greet", agent_id, event_input={"name": f"guest {sent}"}, wait_for_completion=True)
        sent += 1
    first_status = (await first_run.describe()).status.name
    latest = await (await client.get_agent_handle(agent_id)).describe()
    state_after = await client.get_agent_state(agent_id, "greetings")
    await client.send_agent_event("end", agent_id)
    result = await client.get_agent_result(agent_id)
    return {
        "agentId": agent_id,
        "workflowId": first_run.id,
        "runId": run_id,
        "completed": completed,
        "acceptedUpdateId": accepted.id,
        "acceptedResult": accepted_result,
        "updateWithStartRunId": again,
        "state": state,
        "sentUntilContinued": sent,
        "firstRunStatus": first_status,
        "latestRunId": latest.run_id,
        "stateAfterContinue": len(state_after),
        "result": result,
    }


async def py_workflow(args: dict) -> dict:
    """Starts the Python workflow that steps into generated functions and runs a generated child."""
    client = restack_client()
    workflow_id = f"pyworkflow-{uuid.uuid4()}"
    await client.schedule_workflow(workflow_name="PyWorkflow", workflow_id=workflow_id, workflow_input=args, task_queue="python")
    return {"workflowId": f"local-{workflow_id}", "result": await client.get_workflow_result(workflow_id)}


async def large_to_generated(args: dict) -> dict:
    """Sends a large input to a generated workflow on the default queue and reads its (large) result."""
    client = restack_client()
    workflow_id = f"large-{uuid.uuid4()}"
    name = "x" * args["size"]
    await client.schedule_workflow(workflow_name="onboardingWorkflow", workflow_id=workflow_id, workflow_input={"name": name})
    result = await client.get_workflow_result(workflow_id)
    return {"length": len(result["message"]), "endsWithName": result["message"].endswith(name)}


SCENARIOS = {"greeter": greeter, "py-workflow": py_workflow, "large-to-generated": large_to_generated}

if __name__ == "__main__":
    scenario = SCENARIOS[sys.argv[1]]
    args = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    print(json.dumps(asyncio.run(scenario(args))))
