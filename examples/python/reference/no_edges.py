"""Nodes and no edges: every node is a start node, and they run at once (about 0.3 s in
all, not 0.9 s). Expected: each node 0/1."""

import asyncio
import json
import time

from agdf import AsyncExecutor, AsyncGraph


async def node1():
    await asyncio.sleep(0.3)
    yield 1


async def node2():
    await asyncio.sleep(0.3)
    yield 2


async def node3():
    await asyncio.sleep(0.3)
    yield 3


graph = AsyncGraph()
for fn in (node1, node2, node3):
    graph.add_node(fn)

started = time.monotonic()
executor = AsyncExecutor(graph)
executor.execute()
elapsed = time.monotonic() - started
print(json.dumps({"stats": executor.data_flow_stats, "start_nodes": executor.start_nodes}))
