"""A worker: serves Python async generator functions to an agdf daemon.

    worker = agdf.Worker("breweries")

    @worker.function
    async def title_case(text):
        yield text.title()

    worker.run()   # until SIGTERM or SIGINT; reconnects when the daemon restarts

The worker dials the daemon (``AGDF_SERVER``, or ``server=``), registers its functions
and runs the calls the daemon sends. A graph names a function like a built-in one
(``"function": "title_case"``). What a call yields goes back in batches; when the node's
destinations are full the generator is paused at its ``yield`` (the daemon grants more
items as they are accepted downstream), and a cancelled or halted run cancels the call
at its next ``await``. Blocking code works as usual through ``loop.run_in_executor``.
"""

from __future__ import annotations

import asyncio
import collections
import inspect
import logging
import os
import signal
import socket
import time

import grpc

from . import items
from ._settings import Settings
from .items import decode, encode
from .signature import Binder, declare
from .v1 import worker_pb2 as pb
from .v1 import worker_pb2_grpc as pb_grpc

_LOG = logging.getLogger("agdf.worker")

# A message stays well under the daemon's 4 MiB limit; larger batches are split.
_BATCH_CHARS = 512 * 1024
_MAX_ITEM_BYTES = 3 * 1024 * 1024
# How long results wait for the daemon to answer our previous message.
_PATIENCE = 0.002
# Calls a lane runs in one turn of the event loop at most.
_CALLS_PER_TURN = 64


# Statuses that end a worker instead of a reconnection: its token is missing, unknown or
# lacks the right register_functions.
_REFUSALS = (grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.PERMISSION_DENIED)


class WorkerRefused(Exception):
    """The daemon refused the worker: its registration (a name a built-in owns, or another
    worker serves it with different parameters) or its token (none, unknown, or one whose
    role lacks the right register_functions)."""


class _Function:
    __slots__ = ("fn", "name", "description", "concurrency", "params", "binder")

    def __init__(self, fn, name, description, concurrency, check_async_gen):
        if check_async_gen and not inspect.isasyncgenfunction(fn):
            raise TypeError(f"{name!r} isn't an async generator function")
        self.fn = fn
        self.name = name
        self.description = description
        self.concurrency = concurrency
        self.params = declare(fn)
        self.binder = Binder(fn, self.params)

    def message(self) -> pb.WorkerFunction:
        params = []
        for p in self.params:
            param = pb.WorkerParam(name=p.name, has_default=p.has_default, default_repr=p.default_repr)
            if p.default_json is not None:
                param.default_json = p.default_json
            params.append(param)
        return pb.WorkerFunction(
            name=self.name, description=self.description, params=params, concurrency=self.concurrency
        )


class Worker:
    """Serves registered functions to a daemon until stopped.

    ``on_error(node, exception)``, when set, is called with every exception a call raises
    (the reference API uses it to keep the real exception objects).

    Connection keywords as for ``agdf.Client`` (``tls_ca``, ``tls_server_name``, ``token``,
    ...; else ``AGDF_TLS_CA``, ``AGDF_TLS_SERVER_NAME``, ``AGDF_TOKEN``, ...). On a daemon
    with tokens the worker's token needs the right register_functions (role worker or
    admin); without it serve() raises WorkerRefused.
    """

    def __init__(
        self,
        name: str | None = None,
        *,
        server: str | None = None,
        reconnect: bool = True,
        max_backoff: float = 5.0,
        logger: logging.Logger | None = None,
        settings: Settings | None = None,
        **connection,
    ):
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"
        self._settings = settings or Settings.resolve(server, **connection)
        self._functions: dict[str, _Function] = {}
        self._reconnect = reconnect
        self._max_backoff = max_backoff
        self._log = logger or _LOG
        self.on_error = None
        self.worker_id: str | None = None
        self._stopping: asyncio.Event | None = None
        self._registered: asyncio.Event | None = None
        self._session: _Session | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def server(self) -> str:
        return self._settings.server

    # ---- registration ----------------------------------------------------------------

    def add(self, fn, *, name=None, description=None, concurrency: int = 0, check_async_gen=True):
        """Registers `fn` (under its ``__name__`` unless `name` is given); returns the name.
        `concurrency` bounds the calls of it this worker runs at once (0: the daemon's
        default)."""
        name = name or fn.__name__
        if name in self._functions:
            raise ValueError(f"function {name!r} is already registered with this worker")
        if description is None:
            description = inspect.getdoc(fn) or ""
        self._functions[name] = _Function(fn, name, description, concurrency, check_async_gen)
        return name

    def function(self, fn=None, *, name=None, description=None, concurrency: int = 0):
        """Decorator form of add(): ``@worker.function`` or ``@worker.function(name="x")``."""

        def register(f):
            self.add(f, name=name, description=description, concurrency=concurrency)
            return f

        return register(fn) if fn is not None else register

    def _register_message(self) -> pb.WorkerMessage:
        return pb.WorkerMessage(
            register=pb.Register(
                worker_name=self.name, functions=[f.message() for f in self._functions.values()]
            )
        )

    # ---- running ---------------------------------------------------------------------

    async def wait_registered(self, timeout: float | None = None) -> None:
        """Returns once the daemon accepted the registration (the first time)."""
        if self._registered is None:
            self._registered = asyncio.Event()
        await asyncio.wait_for(self._registered.wait(), timeout)

    def stop(self) -> None:
        """Ends serve(): the stream closes, and the daemon gives the calls in progress to
        another worker. Safe to call from a signal handler or another thread."""
        loop = self._loop
        if loop is None:
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._stop_now()
        else:
            loop.call_soon_threadsafe(self._stop_now)

    def _stop_now(self):
        if self._stopping is not None:
            self._stopping.set()
        if self._session is not None:
            self._session.close()

    async def serve(self) -> None:
        """Connects, registers and runs calls until stop(); reconnects with backoff (100 ms
        doubling to `max_backoff`) when the connection breaks or the daemon restarts.
        Raises WorkerRefused when the daemon refuses the registration."""
        if not self._functions:
            raise ValueError("the worker has no functions to serve")
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        if self._registered is None:
            self._registered = asyncio.Event()
        backoff = 0.1
        while not self._stopping.is_set():
            try:
                if await self._serve_once():
                    backoff = 0.1
            except WorkerRefused:
                raise
            except grpc.aio.AioRpcError as e:
                # A token the daemon does not take will not be taken on the next attempt.
                if e.code() in _REFUSALS:
                    raise WorkerRefused(
                        f"the daemon at {self.server} refused the worker: {e.code().name}: "
                        f"{e.details()}") from None
                if not self._reconnect:
                    raise
                self._log.warning("agdf worker %s: connection to %s lost (%s); retrying in %.1f s",
                                  self.name, self.server, e.details(), backoff)
            except (ConnectionError, OSError) as e:
                if not self._reconnect:
                    raise
                self._log.warning("agdf worker %s: connection to %s lost (%s); retrying in %.1f s",
                                  self.name, self.server, e, backoff)
            if self._stopping.is_set():
                break
            try:
                await asyncio.wait_for(self._stopping.wait(), backoff)
            except asyncio.TimeoutError:
                pass
            backoff = min(backoff * 2, self._max_backoff)

    async def _serve_once(self) -> bool:
        """One connection; True when it got as far as being registered."""
        channel = self._settings.aio_channel()
        try:
            stub = pb_grpc.AgdfWorkersStub(channel)
            call = stub.Connect(metadata=self._settings.metadata)
            await call.write(self._register_message())
            first = await call.read()
            if first is grpc.aio.EOF:
                raise ConnectionError(f"the daemon ended the stream: {await call.details()}")
            kind = first.WhichOneof("kind")
            if kind == "refused":
                call.cancel()
                raise WorkerRefused(first.refused.reason)
            if kind != "registered":
                raise ConnectionError(f"the daemon answered the registration with {kind}")
            self.worker_id = first.registered.worker_id
            self._log.debug("agdf worker %s registered with %s as %s (%d functions)",
                           self.name, self.server, self.worker_id, len(self._functions))
            self._session = _Session(self, call, first.registered)
            self._registered.set()
            try:
                await self._session.run()
            finally:
                self._session = None
            return True
        finally:
            await channel.close()

    def run(self) -> None:
        """Blocks, serving until SIGTERM or SIGINT. Raises WorkerRefused when the daemon
        refuses the registration or the token."""

        async def main():
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, self.stop)
            await self.serve()

        asyncio.run(main())


class _Call:
    __slots__ = ("id", "function", "args_json", "defaulted", "node", "granted", "sent",
                 "credit", "cancelled", "closing", "lane")

    def __init__(self, call_id, function, node, args_json, defaulted, window, lane):
        self.id = call_id
        self.function = function
        self.args_json = args_json
        self.defaulted = defaulted
        self.node = node
        self.granted = window
        self.sent = 0
        self.credit = None  # an Event while the call waits for credit
        self.cancelled = False
        self.closing = False  # past its last yield: a cancel no longer interrupts it
        self.lane = lane


class _Lane:
    __slots__ = ("id", "queue", "task", "current")

    def __init__(self, lane_id):
        self.id = lane_id
        self.queue = collections.deque()
        self.task = None
        self.current = None


class _Batch:
    """Results being gathered, in the message's columns: entry i says call ids[i] yielded
    the next counts[i] of items and, when ended[i], ended. Calls that raised go in errors."""

    __slots__ = ("ids", "counts", "items", "ended", "chars", "errors")

    def __init__(self):
        self.ids = []
        self.counts = []
        self.items = []
        self.ended = []
        self.chars = 0
        self.errors = []

    def __bool__(self):
        return bool(self.ids or self.errors)

    def message(self) -> pb.WorkerMessage:
        message = pb.WorkerMessage()
        results = message.results
        results.call_ids.extend(self.ids)
        results.item_counts.extend(self.counts)
        results.items_json.extend(self.items)
        results.ended.extend(self.ended)
        if self.errors:
            results.outputs.extend(self.errors)
        return message


class _Session:
    """One connected stream: runs calls lane by lane, batches what they yield."""

    def __init__(self, worker: Worker, call, registered: pb.Registered):
        self.worker = worker
        self.functions = worker._functions
        self.call = call
        self.interval = max(registered.heartbeat_interval_ms, 50) / 1000
        self.timeout = max(registered.heartbeat_timeout_ms, 100) / 1000
        self.lanes: dict[int, _Lane] = {}
        self.calls: dict[int, _Call] = {}
        self.batch = _Batch()
        self.full: collections.deque[_Batch] = collections.deque()
        self.wakeup = asyncio.Event()
        self.closing = False
        self.heard = asyncio.Event()  # the daemon sent something since our last results
        self.heard.set()
        self.beat = False
        self.last_read = self.last_write = time.monotonic()
        self.tasks: list[asyncio.Task] = []

    async def run(self):
        self.tasks = [
            asyncio.create_task(self._read()),
            asyncio.create_task(self._write()),
            asyncio.create_task(self._heartbeat()),
        ]
        try:
            done, _ = await asyncio.wait(self.tasks, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if not task.cancelled() and task.exception() is not None:
                    raise task.exception()
        finally:
            for task in self.tasks:
                task.cancel()
            lanes = [lane.task for lane in self.lanes.values() if lane.task is not None]
            for task in lanes:
                task.cancel()
            await asyncio.gather(*self.tasks, *lanes, return_exceptions=True)
            self.call.cancel()

    def close(self):
        """Leaves on purpose: the calls in progress stop (the daemon gives them to another
        worker), what is already written stays, and the writer ends our side of the
        stream, so the daemon sees a worker that left rather than one that was lost."""
        self.closing = True
        for task in self.tasks[:1] + self.tasks[2:]:
            task.cancel()
        for lane in self.lanes.values():
            if lane.task is not None:
                lane.task.cancel()
        self.wakeup.set()

    # ---- reading -----------------------------------------------------------------------

    async def _read(self):
        read = self.call.read
        while True:
            message = await read()
            if message is grpc.aio.EOF:
                raise ConnectionError(f"the daemon ended the stream: {await self.call.details()}")
            self.last_read = time.monotonic()
            self.heard.set()
            kind = message.WhichOneof("kind")
            if kind == "work":
                self._on_work(message.work)
            elif kind == "error":
                self.worker._log.error("agdf worker %s: %s", self.worker.name, message.error.message)

    def _on_work(self, work: pb.Work):
        lanes, calls = self.lanes, self.calls
        if work.call_ids:
            window, defaulted, at = work.window, work.defaulted, 0
            for call_id, function, node, args, lane_id, n in zip(
                    work.call_ids, work.functions, work.nodes, work.args_json, work.lanes,
                    work.defaulted_counts):
                lane = lanes.get(lane_id)
                if lane is None:
                    lane = lanes[lane_id] = _Lane(lane_id)
                if n:
                    kept, at = tuple(defaulted[at:at + n]), at + n
                else:
                    kept = ()
                c = _Call(call_id, function, node, args, kept, window, lane)
                calls[call_id] = c
                lane.queue.append(c)
                if lane.task is None:
                    lane.task = asyncio.create_task(self._run_lane(lane))
        for credit in work.credits:
            c = calls.get(credit.call_id)
            if c is not None:
                c.granted += credit.items
                if c.credit is not None:
                    c.credit.set()
        for call_id in work.cancel:
            c = calls.get(call_id)
            if c is None or c.cancelled:
                continue
            c.cancelled = True
            if c.lane.current is c:
                if not c.closing:
                    c.lane.task.cancel()
            else:
                c.lane.queue.remove(c)
                self._finish(c, ("CancelledError", "cancelled before it started"))

    # ---- running calls ---------------------------------------------------------------

    async def _run_lane(self, lane: _Lane):
        # One call after another; the call's code is inline (not a coroutine of its own):
        # a lane runs thousands of short calls, and each frame would cost as much as a call.
        # For the same reason what _emit() and _finish() do is inline here too.
        queue, functions, finish, wakeup = lane.queue, self.functions, self._finish, self.wakeup
        ran = 0
        try:
            while queue:
                c = queue.popleft()
                lane.current = c
                fn = functions.get(c.function)
                error = None
                agen = None
                exhausted = False
                try:
                    if fn is None:
                        raise LookupError(f"this worker does not serve {c.function!r}")
                    agen = fn.binder.call(decode(c.args_json), c.defaulted)
                    async for item in agen:
                        if isinstance(item, BaseException):
                            raise item
                        try:
                            text = encode(item)
                        except items.ItemError as e:
                            raise items.ItemError(
                                f"node '{c.node}' yielded{str(e)[len('item'):]}") from None
                        if len(text) > _MAX_ITEM_BYTES // 4 and len(text.encode()) > _MAX_ITEM_BYTES:
                            raise items.ItemError(
                                f"node '{c.node}' yielded an item of {len(text.encode())} bytes; "
                                f"items are limited to {_MAX_ITEM_BYTES} bytes")
                        # _emit(c, text):
                        c.sent += 1
                        batch = self.batch
                        ids = batch.ids
                        if ids and ids[-1] == c.id and not batch.ended[-1]:
                            batch.counts[-1] += 1
                        else:
                            ids.append(c.id)
                            batch.counts.append(1)
                            batch.ended.append(False)
                        batch.items.append(text)
                        batch.chars += len(text)
                        if batch.chars > _BATCH_CHARS:  # a message stays well under the limit
                            self.full.append(batch)
                            self.batch = _Batch()
                        wakeup.set()
                        if c.sent >= c.granted:
                            await self._wait_credit(c)
                    exhausted = True
                except asyncio.CancelledError:
                    if not c.cancelled:
                        raise  # the session ends: the daemon gives the call to another worker
                    asyncio.current_task().uncancel()
                    error = ("CancelledError", "the call was cancelled")
                except Exception as e:
                    error = (type(e).__name__, str(e))
                    if self.worker.on_error is not None:
                        self.worker.on_error(c.node, e)
                finally:
                    c.closing = True
                    # A generator left before its end runs its finally blocks now.
                    if not exhausted and agen is not None:
                        aclose = getattr(agen, "aclose", None)
                        if aclose is not None:
                            try:
                                await aclose()
                            except Exception:
                                pass
                if error is None:
                    # _finish(c, None):
                    self.calls.pop(c.id, None)
                    batch = self.batch
                    ids = batch.ids
                    if ids and ids[-1] == c.id and not batch.ended[-1]:
                        batch.ended[-1] = True
                    else:
                        ids.append(c.id)
                        batch.counts.append(0)
                        batch.ended.append(True)
                    wakeup.set()
                else:
                    finish(c, error)
                lane.current = None
                ran += 1
                if ran % _CALLS_PER_TURN == 0 and queue:
                    # Calls that never await would run the whole queue in one turn of the
                    # loop; a turn now and then lets their results go while the rest run,
                    # so the daemon works on them at the same time.
                    await asyncio.sleep(0)
        finally:
            lane.task = None
            if not queue and self.lanes.get(lane.id) is lane:
                del self.lanes[lane.id]

    async def _wait_credit(self, c: _Call):
        while c.sent >= c.granted:
            c.credit = asyncio.Event()
            try:
                await c.credit.wait()
            finally:
                c.credit = None

    # ---- writing -----------------------------------------------------------------------

    def _emit(self, c: _Call, text: str):
        c.sent += 1
        batch = self.batch
        ids = batch.ids
        if ids and ids[-1] == c.id and not batch.ended[-1]:
            batch.counts[-1] += 1
        else:
            ids.append(c.id)
            batch.counts.append(1)
            batch.ended.append(False)
        batch.items.append(text)
        batch.chars += len(text)
        if batch.chars > _BATCH_CHARS:  # a message stays well under the daemon's limit
            self.full.append(batch)
            self.batch = _Batch()
        self.wakeup.set()

    def _finish(self, c: _Call, error):
        self.calls.pop(c.id, None)
        batch = self.batch
        if error is not None:
            batch.errors.append(pb.CallOutput(call_id=c.id, done=True,
                                              error=pb.CallError(type=error[0], message=error[1])))
        elif batch.ids and batch.ids[-1] == c.id and not batch.ended[-1]:
            batch.ended[-1] = True
        else:
            batch.ids.append(c.id)
            batch.counts.append(0)
            batch.ended.append(True)
        self.wakeup.set()

    def _next_message(self):
        if self.full:
            return self.full.popleft().message()
        if self.batch:
            batch, self.batch = self.batch, _Batch()
            return batch.message()
        return None

    async def _write(self):
        write = self.call.write
        heard = self.heard
        while True:
            await self.wakeup.wait()
            # A message costs far more than an item: results go out when the daemon has sent
            # something since our last message (it then has read that one), or after a
            # short wait, so what becomes ready meanwhile travels together. The daemon
            # does the same with its Work.
            if not heard.is_set():
                try:
                    await asyncio.wait_for(heard.wait(), _PATIENCE)
                except asyncio.TimeoutError:
                    pass
            await asyncio.sleep(0)  # let the calls that are ready run first
            self.wakeup.clear()
            if self.closing:
                try:
                    await asyncio.wait_for(self.call.done_writing(), 1.0)
                except Exception:
                    pass
                return
            message = self._next_message()
            if message is not None:
                heard.clear()
                await write(message)
                self.last_write = time.monotonic()
                if self.full or self.batch:
                    self.wakeup.set()  # the rest goes next turn, once the daemon answered
            if self.beat:
                self.beat = False
                await write(pb.WorkerMessage(heartbeat=pb.Heartbeat()))
                self.last_write = time.monotonic()

    async def _heartbeat(self):
        while True:
            await asyncio.sleep(self.interval / 2)
            now = time.monotonic()
            if now - self.last_read > self.timeout:
                raise ConnectionError(
                    f"the daemon sent nothing for {self.timeout:.1f} s (heartbeat timeout)"
                )
            if now - self.last_write >= self.interval:
                self.beat = True
                self.wakeup.set()
