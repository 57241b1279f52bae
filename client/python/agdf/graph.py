"""``AsyncGraph`` and ``InvalidAsyncGraphError``: the reference library's graph, unchanged.

A graph built here runs on an agdf daemon through :class:`agdf.AsyncExecutor`.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any, Callable


class InvalidAsyncGraphError(Exception):
    """The graph cannot run: it has a cycle, or no start nodes."""


_NODE_FIELDS = ("func", "name", "queue", "queue_size", "max_tasks", "halt_on_exception",
                "unpack_input")


class AsyncGraph:
    def __init__(self, halt_on_exception: bool = False) -> None:
        self.halt_on_exception = halt_on_exception
        self._nodes: dict[str, dict[str, Any]] = {}
        self._edges: dict[str, set[str]] = {}

    def add_node(
        self,
        func: Callable,
        *,
        name: str | None = None,
        halt_on_exception: bool = False,
        unpack_input: bool = True,
        max_tasks: int = 1,
        queue: asyncio.Queue | None = None,
        queue_size: int = 10_000,
        check_async_gen: bool = True,
    ) -> None:
        """Adds a node running `func` (an async generator function), named `name` or
        ``func.__name__``."""
        name = name or func.__name__
        if check_async_gen and not inspect.isasyncgenfunction(func):
            raise TypeError(f"node '{name}' isn't an async generator function")
        if name in self._nodes:
            raise ValueError(f"node '{name}' already exists in the graph")
        if queue is not None and not isinstance(queue, asyncio.Queue):
            raise TypeError(f"queue for the node '{name}' isn't an asyncio.Queue instance: {queue!r}")
        self._nodes[name] = {
            "func": func,
            "name": name,
            "queue": queue,
            "queue_size": queue_size,
            "max_tasks": max_tasks,
            "halt_on_exception": halt_on_exception,
            "unpack_input": unpack_input,
            "check_async_gen": check_async_gen,
        }
        self._edges[name] = set()

    def add_edge(self, src_node: str | Callable, dst_node: str | Callable) -> None:
        """Adds an edge; each end is a node name or the node's function."""
        src = src_node if isinstance(src_node, str) else src_node.__name__
        if src not in self._nodes:
            raise ValueError(f"src_node '{src}' not registered in the graph")
        dst = dst_node if isinstance(dst_node, str) else dst_node.__name__
        if dst not in self._nodes:
            raise ValueError(f"dst_node '{dst}' not registered in the graph")
        if dst in self._edges[src]:
            return
        self._edges[src].add(dst)
        if self._has_cycle():
            self._edges[src].discard(dst)
            raise InvalidAsyncGraphError("Graph has a cycle")

    @property
    def nodes(self) -> list[dict[str, Any]]:
        return [{k: node[k] for k in _NODE_FIELDS} for node in self._nodes.values()]

    @property
    def edges(self) -> set[tuple[str, str]]:
        return {(src, dst) for src, dsts in self._edges.items() for dst in dsts}

    @property
    def nodes_to_edges(self) -> dict[str, set[str]]:
        return {src: set(dsts) for src, dsts in self._edges.items()}

    def _has_cycle(self) -> bool:
        done, on_path = set(), set()

        def visit(node: str) -> bool:
            on_path.add(node)
            for nxt in self._edges[node]:
                if nxt in on_path or (nxt not in done and visit(nxt)):
                    return True
            on_path.discard(node)
            done.add(node)
            return False

        return any(node not in done and visit(node) for node in self._edges)

    def _start_nodes(self) -> list[str]:
        has_source = {dst for dsts in self._edges.values() for dst in dsts}
        return [node for node in self._nodes if node not in has_source]
