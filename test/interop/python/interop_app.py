"""A restack-ai service written the way Restack's Python examples are: an agent, workflows and a
function, on the task queue "python". restack-gen's interop suite drives it with a project made by
`restack new`, and the project with it (test/interop/restack-ai.test.ts)."""

from __future__ import annotations

import os
from typing import Any

from restack_ai import Restack
from restack_ai.agent import agent
from restack_ai.function import function
from restack_ai.restack import CloudConnectionOptions
from restack_ai.workflow import workflow, workflow_info

QUEUE = "python"


def restack_client() -> Restack:
    """Restack's defaults; only the server address is given (and the codec address for the large-payload test)."""
    client = Restack(CloudConnectionOptions(engine_id=None, api_key=None, address=os.environ["RESTACK_ENGINE_ADDRESS"]))
    codec = os.environ.get("INTEROP_CODEC_ADDRESS")
    if codec:
        # restack-ai derives the codec address from the engine API address; the stand-in runs on a free port.
        defaults = client.get_connection_options

        def with_codec() -> dict[str, Any]:
            options = defaults()
            options["metadata"]["restack-codecAddress"] = codec
            return options

        client.get_connection_options = with_codec  # type: ignore[method-assign]
    return client


@function.defn()
async def py_shout(function_input: dict) -> dict:
    return {"shouted": f"{function_input['text'].upper()}!", "by": "python"}


@agent.defn()
class PyAgent:
    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.ended = False

    @agent.event
    async def message(self, event_input: dict) -> dict:
        self.messages.append(event_input.get("text"))
        return {"received": len(self.messages)}

    @agent.event
    async def end(self, event_input: Any = None) -> None:
        self.ended = True

    @agent.state
    def messages_state(self) -> list[Any]:
        return self.messages

    @agent.run
    async def run(self, agent_input: dict | None = None) -> dict:
        await agent.condition(lambda: self.ended)
        return {"messages": self.messages}


@workflow.defn()
class PyChild:
    """Echoes its text: a child of a generated workflow, and the large-payload round trip."""

    @workflow.run
    async def run(self, workflow_input: dict) -> dict:
        text = workflow_input.get("text", "")
        return {"length": len(text), "echo": text, "by": "python"}


@workflow.defn()
class PyWorkflow:
    """Steps into generated functions (one on the default queue, one on its own) and runs a generated workflow as its child."""

    @workflow.run
    async def run(self, workflow_input: dict) -> dict:
        shouted = await workflow.step(function="shout", function_input={"text": workflow_input["text"]}, task_queue="q")
        greeted = await workflow.step(function="greet", function_input={"name": workflow_input["name"]})
        child = await workflow.child_execute(
            workflow="onboardingWorkflow",
            workflow_id=f"{workflow_info().workflow_id}-child",
            workflow_input={"name": workflow_input["name"]},
        )
        return {"shouted": shouted, "greeted": greeted, "child": child}
