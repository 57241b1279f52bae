"""A worker whose registration clashes: CLASH=builtin registers a function named like a
built-in (echo); CLASH=signature registers `numbers` with other parameters than the test
worker's numbers(n=5). Prints the refusal and exits 3."""

import os
import sys

import agdf

worker = agdf.Worker("clashing", reconnect=False)
if os.environ["CLASH"] == "builtin":
    @worker.function(name="echo")
    async def my_echo(item):
        yield item
else:
    @worker.function
    async def numbers(count, step):
        yield count

try:
    worker.run()
except agdf.WorkerRefused as refused:
    print(f"refused: {refused}", flush=True)
    sys.exit(3)
