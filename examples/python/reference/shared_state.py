"""Closures and lambdas as node functions, and state shared between them: each gets a
name of its own on the daemon, and runs in this process. Expected: count 0/4,
add_offset 4/4, collect 4/4, with the values 10, 11, 12, 13."""

import json

from agdf import AsyncExecutor, AsyncGraph


def make_counter(n):
    async def count():
        for i in range(n):
            yield i
    return count


def make_adder(offset):
    async def add_offset(i):
        yield i + offset
    return add_offset


collected = []


async def collect(value):
    collected.append(value)
    yield


graph = AsyncGraph()
graph.add_node(make_counter(4))
graph.add_node(make_adder(10))
graph.add_node(collect)
graph.add_edge("count", "add_offset")
graph.add_edge("add_offset", collect)

executor = AsyncExecutor(graph)
executor.execute()
print(json.dumps({"stats": executor.data_flow_stats, "collected": sorted(collected)}))
