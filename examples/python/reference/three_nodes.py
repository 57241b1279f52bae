"""Linear extract -> transform -> load: the reference's worked example.
Expected: extract in=0 out=2, transform in=2 out=2, load in=2 out=2."""

import json

from agdf import AsyncExecutor, AsyncGraph


async def extract():
    for text in ("hello world", "foo bar"):
        yield text


async def transform(text):
    yield text.title()


async def load(text):
    print("loaded:", text)
    yield


graph = AsyncGraph()
graph.add_node(extract)
graph.add_node(transform)
graph.add_node(load)
graph.add_edge(extract, transform)
graph.add_edge(transform, load)

executor = AsyncExecutor(graph)
executor.execute()
print(json.dumps(executor.data_flow_stats))
