"""The same three functions on a plain asyncio pipeline: one bounded asyncio.Queue and one
consumer task per node, nothing else. Prints the seconds N items took."""

import asyncio
import sys
import time


async def source(n):
    for i in range(n):
        yield i


async def passthrough(x):
    yield x


async def sink(x):
    return
    yield


async def consume(queue, fn, out):
    while True:
        item = await queue.get()
        async for result in fn(item):
            if out is not None:
                await out.put(result)
        queue.task_done()


async def main(n):
    to_pass, to_sink = asyncio.Queue(10_000), asyncio.Queue(10_000)
    started = time.perf_counter()
    tasks = [asyncio.create_task(consume(to_pass, passthrough, to_sink)),
             asyncio.create_task(consume(to_sink, sink, None))]
    async for item in source(n):
        await to_pass.put(item)
    await to_pass.join()
    await to_sink.join()
    elapsed = time.perf_counter() - started
    for task in tasks:
        task.cancel()
    print(f"{elapsed:.6f}")


asyncio.run(main(int(sys.argv[1])))
