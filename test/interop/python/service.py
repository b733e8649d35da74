"""Runs the restack-ai service of interop_app.py until killed."""

import asyncio

from interop_app import QUEUE, PyAgent, PyChild, PyWorkflow, py_shout, restack_client
from restack_ai.restack import ServiceOptions


async def main() -> None:
    await restack_client().start_service(
        agents=[PyAgent],
        workflows=[PyChild, PyWorkflow],
        functions=[py_shout],
        task_queue=QUEUE,
        # Endpoint registration needs a Restack engine's HTTP API; on plain Temporal restack-ai raises without this.
        options=ServiceOptions(endpoints=False),
    )


asyncio.run(main())
