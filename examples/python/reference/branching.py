"""One node feeding two; a node without parameters is called with no arguments whatever
it receives. Expected: extract 0/2, transform 2/2, load 2/2, print_data 2/2, end_task 2/2."""

import json

from agdf import AsyncExecutor, AsyncGraph


async def extract():
    yield "a"
    yield "b"


async def transform(x):
    yield x.upper()


async def load(x):
    yield f"loaded {x}"


async def print_data(x):
    print("data:", x)
    yield x


async def end_task():
    yield "done"


graph = AsyncGraph()
for fn in (extract, transform, load, print_data, end_task):
    graph.add_node(fn)
graph.add_edge(extract, transform)
graph.add_edge(transform, load)
graph.add_edge(transform, print_data)
graph.add_edge(load, end_task)

executor = AsyncExecutor(graph)
executor.execute()
print(json.dumps(executor.data_flow_stats))
