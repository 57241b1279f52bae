"""Blocking code through loop.run_in_executor, as in the reference. Expected: fetch 0/3,
slow_square 3/3, with the squares 0, 1, 4."""

import asyncio
import json
import time

from agdf import AsyncExecutor, AsyncGraph

results = []


def blocking_square(i):
    time.sleep(0.05)  # a blocking call: runs in a thread, the loop keeps going
    return i * i


async def fetch():
    for i in range(3):
        yield i


async def slow_square(i):
    loop = asyncio.get_running_loop()
    value = await loop.run_in_executor(None, blocking_square, i)
    results.append(value)
    yield value


graph = AsyncGraph()
graph.add_node(fetch)
graph.add_node(slow_square)
graph.add_edge(fetch, slow_square)

executor = AsyncExecutor(graph)
executor.execute()
print(json.dumps({"stats": executor.data_flow_stats, "squares": sorted(results)}))
