"""The benchmark's worker: a source yielding N ints, a pass-through and a sink."""

import agdf

worker = agdf.Worker("bench")


@worker.function
async def source(n):
    for i in range(n):
        yield i


@worker.function
async def passthrough(x):
    yield x


@worker.function
async def sink(x):
    return
    yield


if __name__ == "__main__":
    worker.run()
