"""Two start nodes called with their own arguments (one, and two).
Expected: node1 0/1, node2 0/1, node3 2/2; start_nodes as given."""

import json

from agdf import AsyncExecutor, AsyncGraph


async def node1(word):
    yield word


async def node2(first, second):
    yield f"{first} {second}"


async def node3(text):
    print(text)
    yield


graph = AsyncGraph()
graph.add_node(node1)
graph.add_node(node2)
graph.add_node(node3)
graph.add_edge(node1, node3)
graph.add_edge(node2, node3)

executor = AsyncExecutor(graph)
executor.execute(start_nodes={"node1": ("foo",), "node2": ("hello", "world")})
print(json.dumps({"stats": executor.data_flow_stats, "start_nodes": executor.start_nodes}))
