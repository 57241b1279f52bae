"""Data-flow logging: a line per node every time_interval seconds and once at the end,
in the reference format " {node} - in={in}, out={out}, err={err}", for the filtered nodes.
Expected final lines: " extract - in=0, out=3, err=0" and " load - in=3, out=3, err=0"."""

import asyncio
import logging

from agdf import AsyncExecutor, AsyncGraph

logging.basicConfig(level=logging.INFO, format="%(message)s")


async def extract():
    for i in range(3):
        await asyncio.sleep(0.4)
        yield i


async def transform(i):
    yield i * 10


async def load(i):
    yield


graph = AsyncGraph()
graph.add_node(extract)
graph.add_node(transform)
graph.add_node(load)
graph.add_edge(extract, transform)
graph.add_edge(transform, load)

executor = AsyncExecutor(graph)
executor.turn_on_data_flow_logging(node_filter=["extract", "load"], time_interval=1)
executor.execute()
