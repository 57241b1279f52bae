"""``AsyncExecutor``: the reference library's executor, running the graph on a daemon.

``execute()`` registers the graph's functions (closures and lambdas included, each under a
name unique to this execution) with a worker inside this process, submits the graph to
the daemon named by ``server=`` or ``AGDF_SERVER`` - or, when neither is set, to a
private ``agdf-server`` started for the duration - and returns when the run is complete.
Afterwards ``data_flow_stats``, ``exceptions`` (the exception objects the functions
raised) and ``start_nodes`` read as the reference's do.
"""

from __future__ import annotations

import asyncio
import builtins
import itertools
import json
import logging
import os
import time
import traceback
from collections import deque
from collections.abc import Iterable

from . import items
from ._server import PrivateServer
from ._settings import Settings
from .client import AsyncClient, RunFailed
from .graph import AsyncGraph, InvalidAsyncGraphError
from .worker import Worker

_LOG = logging.getLogger("agdf.executor")

_DEFAULT_NODE_FORMAT = " {node} - in={in}, out={out}, err={err}"
_DEFAULT_TIME_INTERVAL = 60  # seconds
_QUEUE_KINDS = "fifo, batch (size, max_wait_ms), zip (sources), preload (items)"

_executions = itertools.count(1)


class AsyncExecutor:
    def __init__(
        self,
        graph: AsyncGraph,
        *,
        logger: logging.Logger | None = None,
        max_exceptions: int = 1_000,
        server: str | None = None,
        **connection,
    ):
        if not isinstance(graph, AsyncGraph):
            raise TypeError(f"{graph} must be an AsyncGraph instance")
        self._graph = graph
        self._logger = logger if logger else _LOG
        self._max_exceptions = max_exceptions
        self._server = server
        self._connection = connection  # tls_ca, token, ...: see agdf.Settings

        self._data_flow_stats: dict[str, dict[str, int]] | None = None
        self._exceptions: dict[str, deque] | None = None
        self._start_node_args: dict[str, tuple] | None = None

        self._data_flow_logging = False
        self._node_format = _DEFAULT_NODE_FORMAT
        self._time_interval = _DEFAULT_TIME_INTERVAL
        self._node_filter: set[str] | None = None

    # ---- the reference's surface -------------------------------------------------------

    @property
    def graph(self) -> AsyncGraph:
        return self._graph

    @property
    def exceptions(self) -> dict[str, list[Exception]] | None:
        if self._exceptions is None:
            return None
        return {node: list(excs) for node, excs in self._exceptions.items()}

    @property
    def data_flow_stats(self) -> dict[str, dict[str, int]] | None:
        return self._data_flow_stats

    @property
    def start_nodes(self) -> dict[str, tuple]:
        if self._start_node_args is None:
            self._start_node_args = self._resolve_start_nodes(None)
        return self._start_node_args

    def turn_on_data_flow_logging(
        self,
        node_format: str | None = None,
        node_filter: Iterable[str] | None = None,
        time_interval: int | None = None,
        logger: logging.Logger | None = None,
    ) -> None:
        self._data_flow_logging = True
        if node_format:
            self._node_format = node_format
        if node_filter:
            self._node_filter = set(node_filter)
        if time_interval:
            self._time_interval = time_interval
        if logger:
            self._logger = logger

    def turn_off_data_flow_logging(self) -> None:
        self._data_flow_logging = False

    def execute(self, start_nodes: dict[str, tuple] | None = None) -> None:
        """Runs the graph on the daemon and returns when the run is complete."""
        self._start_node_args = self._resolve_start_nodes(start_nodes)
        prefix = f"py{os.getpid()}x{next(_executions)}."
        graph_json = self._graph_json(prefix)
        settings = Settings.resolve(self._server, **self._connection)
        if self._server or os.environ.get("AGDF_SERVER"):
            asyncio.run(self._execute(prefix, graph_json, settings))
            return
        with PrivateServer() as server:
            private = Settings(server.address)
            asyncio.run(self._execute(prefix, graph_json, private))

    # ---- preparing -------------------------------------------------------------------

    def _resolve_start_nodes(self, start_nodes) -> dict[str, tuple]:
        if start_nodes is None:
            start_nodes = {node: tuple() for node in self._graph._start_nodes()}
        if not start_nodes:
            raise InvalidAsyncGraphError("The graph has no start nodes")
        for node, args in start_nodes.items():
            if node not in self._graph._nodes:
                raise ValueError(f"The graph doesn't have the node '{node}'")
            if not isinstance(args, tuple):
                raise TypeError(f"args for the node '{node}' isn't a tuple: {args}")
        return dict(start_nodes)

    def _graph_json(self, prefix: str) -> dict:
        nodes = []
        for node in self._graph._nodes.values():
            name = node["name"]
            entry = {
                "name": name,
                "function": prefix + name,
                "max_tasks": node["max_tasks"],
                "unpack_input": node["unpack_input"],
                "halt_on_exception": node["halt_on_exception"],
            }
            queue_size = node["queue_size"] if node["queue_size"] and node["queue_size"] > 0 else 10_000
            queue = node["queue"]
            if queue is not None:
                if type(queue) is not asyncio.Queue:
                    raise TypeError(
                        f"node '{name}': a custom queue ({type(queue).__name__}) is Python code "
                        "and cannot run on the agdf daemon; use asyncio.Queue(maxsize=n), or "
                        f"one of agdf's queue kinds in a graph file: {_QUEUE_KINDS}"
                    )
                if queue.maxsize > 0:
                    queue_size = queue.maxsize
                if not queue.empty():
                    where = f"the queue of node '{name}' holds"
                    entry["queue"] = {"kind": "preload",
                                      "items": [json.loads(items.encode(item, where))
                                                for item in queue._queue]}
            entry["queue_size"] = queue_size
            nodes.append(entry)
        edges = [[src, dst] for src, dsts in self._graph._edges.items() for dst in sorted(dsts)]
        start = {node: json.loads(items.encode(list(args), f"the arguments of start node '{node}'"))
                 for node, args in self._start_node_args.items()}
        return {
            "nodes": nodes,
            "edges": edges,
            "halt_on_exception": bool(self._graph.halt_on_exception),
            "start_nodes": start,
            "max_exceptions": self._max_exceptions,
        }

    # ---- running ------------------------------------------------------------------------

    async def _execute(self, prefix: str, graph_json: dict, settings: Settings) -> None:
        run = _Execution(self, prefix)
        worker = Worker(f"python-executor:{os.getpid()}", settings=settings, logger=self._logger)
        for node in self._graph._nodes.values():
            worker.add(node["func"], name=prefix + node["name"],
                       check_async_gen=node.get("check_async_gen", True))
        worker.on_error = run.on_worker_error
        serving = asyncio.create_task(worker.serve())
        try:
            registered = asyncio.create_task(worker.wait_registered())
            await asyncio.wait({serving, registered}, return_when=asyncio.FIRST_COMPLETED)
            if serving.done():
                registered.cancel()
                serving.result()  # raises why the worker could not serve
            async with AsyncClient(settings=settings) as client:
                interval_ms = max(50, min(250, int(self._time_interval * 1000)))
                logging_task = None
                try:
                    async for event in client.submit_and_watch(graph_json,
                                                               stats_interval_ms=interval_ms):
                        if event["type"] == "accepted" and self._data_flow_logging:
                            logging_task = asyncio.create_task(run.log_periodically())
                        run.on_event(event)
                finally:
                    if logging_task:
                        logging_task.cancel()
        finally:
            worker.stop()
            await asyncio.gather(serving, return_exceptions=True)
        run.finish()


class _Execution:
    """One execute(): what the run reported, turned into the reference's results."""

    def __init__(self, executor: AsyncExecutor, prefix: str):
        self.x = executor
        self.prefix = prefix
        self.nodes = list(executor._graph._nodes)
        self.raised: dict[str, list] = {node: [] for node in self.nodes}  # from the worker
        self.logged: dict[str, list] = {node: [] for node in self.nodes}
        self.stats: dict[str, dict] = {}
        self.finished: dict | None = None
        self.halt_logged = False

    def on_worker_error(self, node: str, exc: Exception) -> None:
        self.x._logger.error("".join(traceback.format_exception(exc)))
        if node in self.raised:
            self.raised[node].append(exc)

    def _is_raised(self, node: str, error: dict) -> bool:
        for exc in self.raised.get(node, ()):
            if _matches(exc, error) and not any(exc is seen for seen in self.logged[node]):
                self.logged[node].append(exc)
                return True
        return False

    def on_event(self, event: dict) -> None:
        kind = event["type"]
        if kind == "stats":
            self.stats = event["nodes"]
        elif kind == "node_error":
            node, error = event["node"], event["error"]
            if not self._is_raised(node, error):  # an error of the call itself (arguments)
                self.x._logger.error(f"{error['type']}: {self._message(node, error)}")
            halts = self.x._graph.halt_on_exception or self.x._graph._nodes[node]["halt_on_exception"]
            if halts and not self.halt_logged:
                self.halt_logged = True
                self.x._logger.error(
                    f"Pipeline execution halted due to an exception in {node} node")
        elif kind == "finished":
            self.finished = event
            if event["state"] == "failed":
                raise RunFailed(None, f"the daemon could not run the graph: {event.get('failure', '')}")

    async def log_periodically(self) -> None:
        while True:
            await asyncio.sleep(self.x._time_interval)
            self.log_data_flow(self.stats)

    def log_data_flow(self, stats: dict) -> None:
        wanted = self.x._node_filter
        for node in self.nodes:
            if wanted is not None and node not in wanted:
                continue
            counts = stats.get(node, {"in": 0, "out": 0, "err": 0})
            flow = {"in": counts["in"], "out": counts["out"], "err": counts["err"]}
            self.x._logger.info(self.x._node_format.format(node=node, **flow))

    def _message(self, node: str, error: dict) -> str:
        func = self.x._graph._nodes[node]["func"]
        qualname = getattr(func, "__qualname__", node)
        return error["message"].replace(f"{self.prefix}{node}()", f"{qualname}()")

    def _exception(self, node: str, error: dict, used: list) -> Exception:
        for exc in self.raised.get(node, ()):
            if _matches(exc, error) and not any(exc is u for u in used):
                used.append(exc)
                return exc
        cls = getattr(builtins, error["type"], None)
        message = self._message(node, error)
        if isinstance(cls, type) and issubclass(cls, Exception):
            try:
                return cls(message)
            except Exception:
                pass
        return RuntimeError(f"{error['type']}: {message}")

    def finish(self) -> None:
        if self.finished is None:
            raise RunFailed(None, "the run's event stream ended before the run finished")
        stats = self.finished["stats"]
        self.x._data_flow_stats = {
            node: {"in": stats[node]["in"], "out": stats[node]["out"], "err": stats[node]["err"]}
            for node in self.nodes if node in stats
        }
        exceptions = {}
        for node in self.nodes:
            used: list = []
            records = self.finished["exceptions"].get(node, [])
            exceptions[node] = deque((self._exception(node, e, used) for e in records),
                                     maxlen=self.x._max_exceptions)
        self.x._exceptions = exceptions
        if self.x._data_flow_logging:
            self.log_data_flow(self.x._data_flow_stats)


def _matches(exc: Exception, error: dict) -> bool:
    return type(exc).__name__ == error["type"] and str(exc) == error["message"]
