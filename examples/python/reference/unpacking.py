"""How an item becomes a call: a tuple is positional arguments, a dict keywords, anything
else (a list too) one argument; unpack_input=False passes tuples and dicts whole; a
function without parameters ignores its input. Too many arguments, an unknown keyword or
too few are TypeErrors recorded on the node, and the run goes on.
Expected: source 0/7; load 7/4 err=3; whole 7/7; ignore 7/7."""

import json

from agdf import AsyncExecutor, AsyncGraph


async def source():
    yield ("a", "b")            # load("a", "b")
    yield {"x": 1, "y": 2}      # load(x=1, y=2)
    yield ["a", "list"]         # load(["a", "list"]): one argument, y defaults
    yield "text"                # load("text")
    yield ("one", "two", "three")  # too many positional arguments
    yield {"z": 3}              # unexpected keyword argument 'z'
    yield ()                    # missing the required argument x


async def load(x, y="default"):
    yield (x, y)


async def whole(item):
    yield type(item).__name__


async def ignore():
    yield "called without arguments"


graph = AsyncGraph()
graph.add_node(source)
graph.add_node(load)
graph.add_node(whole, unpack_input=False)
graph.add_node(ignore)
graph.add_edge(source, load)
graph.add_edge(source, whole)
graph.add_edge(source, ignore)

executor = AsyncExecutor(graph)
executor.execute()
print(json.dumps({"stats": executor.data_flow_stats,
                  "exceptions": {n: [f"{type(e).__name__}: {e}" for e in es]
                                 for n, es in executor.exceptions.items()}}))
