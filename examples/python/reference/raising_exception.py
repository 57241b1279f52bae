"""Errors are recorded without halting: every call of node2 raises and the run completes.
executor.exceptions holds the exception objects themselves.
Expected: node1 0/2, node2 2/0 err=2."""

import json

from agdf import AsyncExecutor, AsyncGraph


class NotAllowed(Exception):
    pass


async def node1():
    yield "hello"
    yield "world"


async def node2(word):
    raise NotAllowed(f"intentional error for {word}")
    yield


graph = AsyncGraph()
graph.add_node(node1)
graph.add_node(node2)
graph.add_edge(node1, node2)

executor = AsyncExecutor(graph)
executor.execute()
errors = executor.exceptions["node2"]
print(json.dumps({"stats": executor.data_flow_stats,
                  "types": [type(e).__name__ for e in errors],
                  "are_objects": all(isinstance(e, NotAllowed) for e in errors),
                  "messages": [str(e) for e in errors]}))
