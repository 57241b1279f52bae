"""A node given an asyncio.Queue holding items processes them at the start, even though
it is not a start node (agdf maps it to its `preload` queue kind; the queue's maxsize is
the node's queue_size). Expected: extract 0/1, load 1/3."""

import asyncio
import json

from agdf import AsyncExecutor, AsyncGraph


async def extract():
    yield "from extract"


async def load(text):
    print(text)
    yield


queue = asyncio.Queue(maxsize=100)
queue.put_nowait("preloaded 1")
queue.put_nowait("preloaded 2")

graph = AsyncGraph()
graph.add_node(extract)
graph.add_node(load, queue=queue)
graph.add_edge(extract, load)

executor = AsyncExecutor(graph)
executor.execute()
print(json.dumps(executor.data_flow_stats))
