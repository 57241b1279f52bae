"""halt_on_exception on one node: its first error halts the run, queued items are dropped.
Expected: extract 0/5, transform 5/5, load 5/2 err=1, output 2/2; the log says
"Pipeline execution halted due to an exception in load node"."""

import asyncio
import json
import logging

from agdf import AsyncExecutor, AsyncGraph

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")


async def extract():
    for i in range(1, 6):
        yield f"data{i}"


async def transform(text):
    yield text.title()


async def load(text):
    if text in ("Data3", "Data5"):
        # Give output the time to take what load already passed on, so the counts do not
        # depend on which task the scheduler runs first (here or in the reference).
        await asyncio.sleep(0.2)
        raise ValueError(f"intentional error for {text}")
    yield text


async def output(text):
    print(text)
    yield text


graph = AsyncGraph()
graph.add_node(extract)
graph.add_node(transform)
graph.add_node(load, halt_on_exception=True)
graph.add_node(output)
graph.add_edge(extract, transform)
graph.add_edge(transform, load)
graph.add_edge(load, output)

executor = AsyncExecutor(graph)
executor.execute()
print(json.dumps({"stats": executor.data_flow_stats,
                  "exceptions": {n: [repr(e) for e in es] for n, es in executor.exceptions.items()}}))
