"""Start at node2 (which has an upstream node) with an argument: node1 never runs.
Expected: node1 0/0, node2 0/2, node3 2/2."""

import json

from agdf import AsyncExecutor, AsyncGraph


async def node1():
    yield "never"


async def node2(data="default"):
    yield data
    yield data + "!"


async def node3(data):
    print(data)
    yield


graph = AsyncGraph()
graph.add_node(node1)
graph.add_node(node2)
graph.add_node(node3)
graph.add_edge(node1, node2)
graph.add_edge(node2, node3)

executor = AsyncExecutor(graph)
executor.execute(start_nodes={"node2": ("new_data",)})
print(json.dumps({"stats": executor.data_flow_stats, "start_nodes": executor.start_nodes}))
