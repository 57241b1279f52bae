"""A client of the daemon: submit graphs, watch their events, get, list and cancel runs.

    with agdf.Client() as client:                     # AGDF_SERVER, or 127.0.0.1:50051
        run_id = client.submit("examples/three_nodes.json")
        for event in client.watch(run_id):            # resumes by itself after a broken stream
            print(event["type"], event)

``AsyncClient`` has the same methods as coroutines, and ``watch`` as an async iterator.
Events are dicts shaped like the JSON lines of ``agdf run --json`` (``seq``, ``run_id``,
``time_unix_ms``, ``type`` and the type's fields); items and arguments are decoded, with
tuples as Python tuples.
"""

from __future__ import annotations

import asyncio
import os
import time

import grpc

from . import items
from ._settings import Settings
from .v1 import agdf_pb2 as pb
from .v1 import agdf_pb2_grpc as pb_grpc

_STATES = {
    pb.RUN_STATE_QUEUED: "queued",
    pb.RUN_STATE_RUNNING: "running",
    pb.RUN_STATE_COMPLETED: "completed",
    pb.RUN_STATE_HALTED: "halted",
    pb.RUN_STATE_CANCELLED: "cancelled",
    pb.RUN_STATE_FAILED: "failed",
}
_STATE_VALUES = {name: value for value, name in _STATES.items()}
FINAL_STATES = ("completed", "halted", "cancelled", "failed")

# A broken watch stream is resumed this many times in a row without progress.
_RESUME_ATTEMPTS = 5
_RETRYABLE = (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN,
              grpc.StatusCode.CANCELLED, grpc.StatusCode.DEADLINE_EXCEEDED)


class RunFailed(Exception):
    """The daemon refused a request; `code` is the gRPC status code, `details` its message."""

    def __init__(self, code, details):
        super().__init__(details)
        self.code = code
        self.details = details


def _refused(error: grpc.RpcError) -> RunFailed:
    return RunFailed(error.code(), error.details())


# ---- requests ------------------------------------------------------------------------


def graph_definition(graph) -> pb.GraphDefinition:
    """A graph as the daemon takes it: a dict in the graph-file format, a path to a graph
    file, or a GraphDefinition."""
    if isinstance(graph, pb.GraphDefinition):
        return graph
    if isinstance(graph, dict):  # tuples in it (config values, start arguments) stay tuples
        return pb.GraphDefinition(graph_json=items.encode(graph, "the graph").encode())
    if isinstance(graph, (str, os.PathLike)):
        # The JSON fields are bytes on the wire: the daemon checks the file's UTF-8 itself
        # and names the offset of a bad byte.
        with open(graph, "rb") as f:
            return pb.GraphDefinition(graph_json=f.read())
    raise TypeError(f"a graph is a dict or a graph file path, not {type(graph).__name__}")


def submit_request(graph, *, start_nodes=None, labels=None, capture=None, max_exceptions=None,
                   log_interval_ms=None, log_nodes=None, log_format=None,
                   stats_interval_ms=None) -> pb.SubmitRunRequest:
    request = pb.SubmitRunRequest(definition=graph_definition(graph))
    for node, args in (start_nodes or {}).items():
        request.start_nodes.add(node=node, args_json=items.encode(list(args)).encode())
    if labels:
        request.labels.update(labels)
    if capture:
        request.capture.extend(capture)
    if max_exceptions is not None:
        request.max_exceptions = max_exceptions
    if log_interval_ms is not None:
        request.logging.enabled = True
        request.logging.interval_ms = log_interval_ms
        request.logging.nodes.extend(log_nodes or ())
        if log_format:
            request.logging.format = log_format
    if stats_interval_ms is not None:
        request.stats_interval_ms = stats_interval_ms
    return request


# ---- answers as dicts --------------------------------------------------------------


def _value(text, fallback=None):
    if not text:
        return fallback
    if isinstance(text, bytes):  # the JSON fields a client sends are bytes on the wire
        text = text.decode("utf-8", "replace")
    try:
        return items.decode(text)
    except ValueError:
        return text


def _stats(nodes) -> dict:
    return {
        n.node: {"in": getattr(n, "in"), "out": n.out, "err": n.err, "queued": n.queued,
                 "active": n.active, "dropped": n.dropped}
        for n in nodes
    }


def _error(e) -> dict:
    return {"type": e.type, "message": e.message}


def _exceptions(nodes) -> dict:
    return {n.node: [_error(e) for e in n.errors] for n in nodes}


def _start_nodes(starts) -> dict:
    return {s.node: tuple(_value(s.args_json, [])) for s in starts}


def event_dict(event: pb.RunEvent) -> dict:
    out = {"seq": event.seq, "run_id": event.run_id, "time_unix_ms": event.time_unix_ms}
    kind = event.WhichOneof("kind")
    if kind == "started":
        out.update(type="started", start_nodes=_start_nodes(event.started.start_nodes))
    elif kind == "stats":
        out.update(type="stats", nodes=_stats(event.stats.nodes))
    elif kind == "node_error":
        out.update(type="node_error", node=event.node_error.node, error=_error(event.node_error.error))
    elif kind == "retry":
        r = event.retry
        out.update(type="retry", node=r.node, attempt=r.attempt, error=_error(r.error),
                   delay_ms=r.delay_ms)
    elif kind == "log":
        out.update(type="log", node=event.log.node, line=event.log.line)
    elif kind == "output":
        out.update(type="output", node=event.output.node, item=_value(event.output.item_json))
    elif kind == "finished":
        f = event.finished
        out.update(type="finished", state=_STATES.get(f.state, "unspecified"),
                   stats=_stats(f.stats), exceptions=_exceptions(f.exceptions))
        if f.failure:
            out["failure"] = f.failure
    elif kind == "accepted":
        out.update(type="accepted", state=_STATES.get(event.accepted.state, "unspecified"))
    elif kind == "missed":
        out.update(type="missed", from_seq=event.missed.from_seq, to_seq=event.missed.to_seq)
    else:
        out["type"] = "unknown"
    return out


def run_dict(run: pb.RunInfo) -> dict:
    out = {
        "run_id": run.run_id,
        "state": _STATES.get(run.state, "unspecified"),
        "labels": dict(sorted(run.labels.items())),
        "submitted_unix_ms": run.submitted_unix_ms,
        "started_unix_ms": run.started_unix_ms,
        "finished_unix_ms": run.finished_unix_ms,
        "start_nodes": _start_nodes(run.start_nodes),
        "stats": _stats(run.stats),
        "exceptions": _exceptions(run.exceptions),
        "last_seq": run.last_seq,
    }
    if run.failure:
        out["failure"] = run.failure
    return out


def function_dict(f: pb.FunctionInfo) -> dict:
    params = []
    for p in f.params:
        param = {"name": p.name}
        if p.HasField("default_json"):
            param["default"] = _value(p.default_json)
        params.append(param)
    out = {"name": f.name, "description": f.description, "params": params,
           "config": [{"name": k.name, "description": k.description,
                       "example": _value(k.example_json), "required": k.required}
                      for k in f.config_keys]}
    if f.remote:
        out["workers"] = list(f.workers)
    return out


def _accepted(answer: pb.SubmitRunResponse) -> dict:
    """The ``accepted`` event SubmitAndWatch starts with, from SubmitRun's answer."""
    return {"seq": 0, "run_id": answer.run_id, "time_unix_ms": int(time.time() * 1000),
            "type": "accepted", "state": _STATES.get(answer.state, "unspecified")}


def _list_request(state, labels, page_size, token) -> pb.ListRunsRequest:
    request = pb.ListRunsRequest(page_size=page_size, page_token=token)
    if state:
        request.state = _STATE_VALUES[state]
    if labels:
        request.labels.update(labels)
    return request


# ---- the blocking client -----------------------------------------------------------


class Client:
    """A blocking client. `server` (else ``AGDF_SERVER``) and the connection settings as
    keywords: ``tls``, ``tls_ca``, ``tls_server_name``, ``tls_client_cert``,
    ``tls_client_key``, ``token``, ``token_file`` (else their ``AGDF_*`` variables), or
    ``settings=`` a resolved ``agdf.Settings``."""

    def __init__(self, server=None, *, settings: Settings | None = None, **connection):
        self.settings = settings or Settings.resolve(server, **connection)
        self._channel = self.settings.channel()
        self._stub = pb_grpc.AgdfStub(self._channel)
        self._md = self.settings.metadata

    def close(self):
        self._channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _call(self, method, request):
        try:
            return method(request, metadata=self._md)
        except grpc.RpcError as e:
            raise _refused(e) from None

    def functions(self) -> list[dict]:
        return [function_dict(f) for f in self._call(self._stub.ListFunctions,
                                                     pb.ListFunctionsRequest()).functions]

    def validate(self, graph) -> list[dict]:
        """Every problem of the graph (empty: valid)."""
        answer = self._call(self._stub.ValidateGraph,
                            pb.ValidateGraphRequest(definition=graph_definition(graph)))
        return [{"where": p.where, "message": p.message} for p in answer.problems]

    def submit(self, graph, **options) -> str:
        """Starts (or queues) a run and returns its id. Options: start_nodes (node -> args
        tuple), labels, capture, max_exceptions, log_interval_ms, log_nodes, log_format,
        stats_interval_ms."""
        return self._call(self._stub.SubmitRun, submit_request(graph, **options)).run_id

    def get(self, run_id: str) -> dict:
        return run_dict(self._call(self._stub.GetRun, pb.GetRunRequest(run_id=run_id)))

    def list(self, *, state=None, labels=None, limit=50) -> list[dict]:
        runs, token = [], ""
        while len(runs) < limit:
            page = self._call(self._stub.ListRuns,
                              _list_request(state, labels, min(1000, limit - len(runs)), token))
            runs.extend(run_dict(r) for r in page.runs)
            token = page.next_page_token
            if not token:
                break
        return runs

    def cancel(self, run_id: str) -> str:
        """Cancels the run; returns its state once it has stopped."""
        return _STATES[self._call(self._stub.CancelRun, pb.CancelRunRequest(run_id=run_id)).state]

    def watch(self, run_id: str, from_seq: int = 1):
        """The run's events from `from_seq`, live until it finishes. A broken stream is
        resumed from the last event seen + 1 (up to 5 times in a row without progress)."""
        next_seq, failures = from_seq, 0
        while True:
            try:
                for event in self._stub.WatchRun(
                        pb.WatchRunRequest(run_id=run_id, from_seq=next_seq), metadata=self._md):
                    failures = 0
                    next_seq = event.seq + 1
                    yield event_dict(event)
                return
            except grpc.RpcError as e:
                if e.code() not in _RETRYABLE or failures >= _RESUME_ATTEMPTS:
                    raise _refused(e) from None
                failures += 1
                time.sleep(min(2.0, 0.1 * 2 ** (failures - 1)))

    def submit_and_watch(self, graph, **options):
        """Submits the graph and yields its events in one call: first ``accepted`` (seq 0,
        with the ``run_id``), then every event until ``finished``. A stream broken after
        ``accepted`` is resumed with watch(); a daemon without SubmitAndWatch gets
        SubmitRun + WatchRun (its first event is then made up from SubmitRun's answer)."""
        request = submit_request(graph, **options)
        run_id, next_seq = None, 1
        try:
            for event in self._stub.SubmitAndWatch(request, metadata=self._md):
                if run_id is None:
                    run_id = event.run_id
                next_seq = event.seq + 1
                yield event_dict(event)
            return
        except grpc.RpcError as e:
            if run_id is None:
                if e.code() != grpc.StatusCode.UNIMPLEMENTED:
                    raise _refused(e) from None
                answer = self._call(self._stub.SubmitRun, request)
                run_id = answer.run_id
                yield _accepted(answer)
            elif e.code() not in _RETRYABLE:
                raise _refused(e) from None
        yield from self.watch(run_id, max(next_seq, 1))

    def run(self, graph, **options) -> dict:
        """Submits the graph, follows it to the end and returns the `finished` event."""
        run_id = None
        for event in self.submit_and_watch(graph, **options):
            run_id = event["run_id"]
            if event["type"] == "finished":
                return event
        raise RunFailed(grpc.StatusCode.UNKNOWN, f"run {run_id} ended without a finished event")


# ---- the asyncio client --------------------------------------------------------------


class AsyncClient:
    """The same as Client, on asyncio (grpc.aio)."""

    def __init__(self, server=None, *, settings: Settings | None = None, **connection):
        self.settings = settings or Settings.resolve(server, **connection)
        self._channel = self.settings.aio_channel()
        self._stub = pb_grpc.AgdfStub(self._channel)
        self._md = self.settings.metadata

    async def close(self):
        await self._channel.close()

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.close()

    async def _call(self, method, request):
        try:
            return await method(request, metadata=self._md)
        except grpc.aio.AioRpcError as e:
            raise _refused(e) from None

    async def functions(self) -> list[dict]:
        answer = await self._call(self._stub.ListFunctions, pb.ListFunctionsRequest())
        return [function_dict(f) for f in answer.functions]

    async def validate(self, graph) -> list[dict]:
        answer = await self._call(self._stub.ValidateGraph,
                                  pb.ValidateGraphRequest(definition=graph_definition(graph)))
        return [{"where": p.where, "message": p.message} for p in answer.problems]

    async def submit(self, graph, **options) -> str:
        return (await self._call(self._stub.SubmitRun, submit_request(graph, **options))).run_id

    async def get(self, run_id: str) -> dict:
        return run_dict(await self._call(self._stub.GetRun, pb.GetRunRequest(run_id=run_id)))

    async def list(self, *, state=None, labels=None, limit=50) -> list[dict]:
        runs, token = [], ""
        while len(runs) < limit:
            page = await self._call(self._stub.ListRuns,
                                    _list_request(state, labels, min(1000, limit - len(runs)),
                                                  token))
            runs.extend(run_dict(r) for r in page.runs)
            token = page.next_page_token
            if not token:
                break
        return runs

    async def cancel(self, run_id: str) -> str:
        answer = await self._call(self._stub.CancelRun, pb.CancelRunRequest(run_id=run_id))
        return _STATES[answer.state]

    async def watch(self, run_id: str, from_seq: int = 1):
        next_seq, failures = from_seq, 0
        while True:
            call = self._stub.WatchRun(pb.WatchRunRequest(run_id=run_id, from_seq=next_seq),
                                       metadata=self._md)
            try:
                async for event in call:
                    failures = 0
                    next_seq = event.seq + 1
                    yield event_dict(event)
                return
            except grpc.aio.AioRpcError as e:
                if e.code() not in _RETRYABLE or failures >= _RESUME_ATTEMPTS:
                    raise _refused(e) from None
                failures += 1
                await asyncio.sleep(min(2.0, 0.1 * 2 ** (failures - 1)))
            finally:
                call.cancel()

    async def submit_and_watch(self, graph, **options):
        request = submit_request(graph, **options)
        run_id, next_seq = None, 1
        call = self._stub.SubmitAndWatch(request, metadata=self._md)
        try:
            async for event in call:
                if run_id is None:
                    run_id = event.run_id
                next_seq = event.seq + 1
                yield event_dict(event)
            return
        except grpc.aio.AioRpcError as e:
            if run_id is None:
                if e.code() != grpc.StatusCode.UNIMPLEMENTED:
                    raise _refused(e) from None
                answer = await self._call(self._stub.SubmitRun, request)
                run_id = answer.run_id
                yield _accepted(answer)
            elif e.code() not in _RETRYABLE:
                raise _refused(e) from None
        finally:
            call.cancel()
        async for event in self.watch(run_id, max(next_seq, 1)):
            yield event

    async def run(self, graph, **options) -> dict:
        run_id = None
        async for event in self.submit_and_watch(graph, **options):
            run_id = event["run_id"]
            if event["type"] == "finished":
                return event
        raise RunFailed(grpc.StatusCode.UNKNOWN, f"run {run_id} ended without a finished event")
