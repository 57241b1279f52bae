"""A worker process for the tests: a set of functions, and a record of what ran.

Environment: AGDF_SERVER (the daemon), WORKER_NAME, RECORD_DIR (each function appends
lines to RECORD_DIR/<name>.log: "start X", "end X", "cancelled X"), ONLY (comma-separated
function names to serve; default all), CONCURRENCY (per function, default 0)."""

import asyncio
import datetime
import os
import time

import agdf

NAME = os.environ.get("WORKER_NAME", "test-worker")
RECORD_DIR = os.environ.get("RECORD_DIR")
worker = agdf.Worker(NAME)


def record(kind, value):
    if RECORD_DIR:
        with open(os.path.join(RECORD_DIR, f"{NAME}.log"), "a") as f:
            f.write(f"{kind} {value!r} {time.monotonic():.6f}\n")


async def numbers(n=5):
    for i in range(n):
        yield i


async def count_to(n, pause_ms=0):
    for i in range(n):
        if pause_ms:
            await asyncio.sleep(pause_ms / 1000)
        yield i


async def produce(n):
    for i in range(n):
        record("yield", i)
        yield i


async def stream(n, pause_ms=20):
    record("start", n)
    for i in range(n):
        await asyncio.sleep(pause_ms / 1000)
        yield i


async def passthrough(x):
    yield x


async def double(x):
    yield x * 2


async def describe(x, y="default"):
    yield {"x": x, "y": y, "types": [type(x).__name__, type(y).__name__]}


async def keep_default(x, seen=[]):  # noqa: B006 - the worker keeps this default itself
    yield {"x": x, "seen": list(seen), "default_type": type(seen).__name__}


async def kinds(item):
    yield type(item).__name__


async def no_params():
    yield "called"


async def fail_on(x, bad="boom"):
    if x == bad:
        raise ValueError(f"intentional error for {x}")
    yield x


async def fail_late(x, bad="boom", ms=200):
    if x == bad:
        await asyncio.sleep(ms / 1000)  # downstream takes what came before, first
        raise ValueError(f"intentional error for {x}")
    yield x


async def slow(x, ms=200):
    record("start", x)
    try:
        await asyncio.sleep(ms / 1000)
    except asyncio.CancelledError:
        record("cancelled", x)
        raise
    record("end", x)
    yield x


async def slow_sink(x, ms=20):
    record("start", x)
    await asyncio.sleep(ms / 1000)
    record("end", x)
    yield


async def tracked(x):
    record("start", x)
    yield x
    record("end", x)


async def endless(x=None):
    record("start", x)
    try:
        while True:
            await asyncio.sleep(0.05)
    except asyncio.CancelledError:
        record("cancelled", x)
        raise
    yield


async def bad_item(kind):
    if kind == "datetime":
        yield datetime.datetime(2024, 1, 2, 3, 4, 5)
    elif kind == "bytes":
        yield b"raw"
    elif kind == "set":
        yield {1, 2}
    elif kind == "object":
        yield object()
    else:
        yield kind


async def tuples():
    yield (1, 2)
    yield [1, 2]
    yield ((1, (2, 3)), [4, (5,)])
    yield {"t": (1, "a")}


async def yield_exception(x):
    yield x
    yield KeyError("yielded, not raised")
    yield "after"


async def blocking(x):
    loop = asyncio.get_running_loop()
    value = await loop.run_in_executor(None, lambda: (time.sleep(0.05), x * x)[1])
    yield value


ALL = [numbers, count_to, produce, stream, passthrough, double, describe, keep_default, kinds, no_params, fail_on,
       fail_late, slow, slow_sink, tracked, endless, bad_item, tuples, yield_exception, blocking]
only = {n for n in os.environ.get("ONLY", "").split(",") if n}
for fn in ALL:
    if not only or fn.__name__ in only:
        worker.add(fn, concurrency=int(os.environ.get("CONCURRENCY", "0")))

if __name__ == "__main__":
    worker.run()
