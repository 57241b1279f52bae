"""max_tasks=5: five calls that each sleep 0.5 s overlap, so node2 takes about 0.5 s, not
2.5 s. Expected: node1 0/5, node2 5/5; the largest number of node2 calls running at once
is 5."""

import asyncio
import json
import time

from agdf import AsyncExecutor, AsyncGraph

running = 0
most = 0


async def node1():
    for i in range(5):
        yield i


async def node2(i):
    global running, most
    running += 1
    most = max(most, running)
    await asyncio.sleep(0.5)
    running -= 1
    yield i


graph = AsyncGraph()
graph.add_node(node1)
graph.add_node(node2, max_tasks=5)
graph.add_edge(node1, node2)

started = time.monotonic()
executor = AsyncExecutor(graph)
executor.execute()
print(f"took {time.monotonic() - started:.1f} s")
print(json.dumps({"stats": executor.data_flow_stats, "most_at_once": most}))
