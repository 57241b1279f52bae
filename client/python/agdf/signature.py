"""A Python function's parameters as a worker declares them, and how a call's bound
arguments become a Python call.

The daemon binds an item to the declared parameters (the graph's unpacking rules) and
sends one argument per parameter, in order. A default that is an immutable JSON value
(None, bool, int, float, str, or a tuple of them) is declared as JSON and filled in by
the daemon like any argument; any other default (a list, an object) stays with the
worker, which leaves the parameter out of the call so Python applies it as usual.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from . import items

_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


@dataclass(frozen=True)
class DeclaredParam:
    name: str
    has_default: bool
    default_json: str | None
    default_repr: str
    keyword_only: bool
    positional_only: bool


def declare(fn) -> list[DeclaredParam]:
    """The parameters of `fn`. *args and **kwargs cannot be declared: the daemon binds
    each item to named parameters."""
    params = []
    for p in inspect.signature(fn).parameters.values():
        if p.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            raise TypeError(
                f"{getattr(fn, '__qualname__', fn)!s} has *{p.name}: agdf binds items to named "
                "parameters, so a node function cannot take *args or **kwargs"
            )
        has_default = p.default is not inspect.Parameter.empty
        default_json = None
        if has_default and items.is_immutable_json(p.default):
            default_json = items.encode(p.default)
        params.append(
            DeclaredParam(
                name=p.name,
                has_default=has_default,
                default_json=default_json,
                default_repr=repr(p.default)[:200] if has_default else "",
                keyword_only=p.kind is inspect.Parameter.KEYWORD_ONLY,
                positional_only=p.kind is inspect.Parameter.POSITIONAL_ONLY,
            )
        )
    return params


class Binder:
    """Turns the daemon's argument list into a call of the function."""

    def __init__(self, fn, params: list[DeclaredParam]):
        self.fn = fn
        self.params = params
        self.simple = all(not p.keyword_only for p in params)

    def call(self, args: list, defaulted):
        """The function's async generator for this call."""
        if not defaulted and self.simple:
            return self.fn(*args)
        skip = set(defaulted)
        positional, keywords = [], {}
        gap = False  # a positional parameter left to its default: the rest go by keyword
        for i, (p, value) in enumerate(zip(self.params, args)):
            if i in skip:
                gap = True
                continue
            if p.positional_only or (not gap and not p.keyword_only):
                positional.append(value)
            else:
                keywords[p.name] = value
        return self.fn(*positional, **keywords)
