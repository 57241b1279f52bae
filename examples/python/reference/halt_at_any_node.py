"""Graph-level halt_on_exception: the first error in any node halts the run.
Expected: extract 0/2, load 2/1 err=1, output 1/1."""

import asyncio
import json
import logging

from agdf import AsyncExecutor, AsyncGraph

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")


async def extract():
    yield "hello"
    yield "world"


async def load(text):
    if text == "world":
        await asyncio.sleep(0.2)  # output takes "hello" first, whichever task runs first
        raise RuntimeError(f"intentional error for {text}")
    yield text


async def output(text):
    yield text


graph = AsyncGraph(halt_on_exception=True)
graph.add_node(extract)
graph.add_node(load)
graph.add_node(output)
graph.add_edge(extract, load)
graph.add_edge(load, output)

executor = AsyncExecutor(graph)
executor.execute()
print(json.dumps({"stats": executor.data_flow_stats,
                  "exceptions": {n: [repr(e) for e in es] for n, es in executor.exceptions.items()}}))
