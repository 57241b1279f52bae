"""Items as they cross the wire: JSON text, with tuples kept apart from lists.

An item is a JSON value (``None``, ``bool``, ``int``, ``float``, ``str``, ``list``,
``dict`` with ``str`` keys) or a ``tuple`` of items. A tuple travels as
``{"$tuple": [...]}`` and comes back a tuple; a list stays a list. Anything else (a
``datetime``, ``bytes``, a ``set``, an object, a dict with non-string keys, NaN) is
refused with an :class:`ItemError` naming the node and the type, rather than arriving
changed: convert it first (``d.isoformat()``, ``b.hex()``, ``sorted(s)``, ``vars(o)``).
"""

from __future__ import annotations

import json
import json.scanner
import math

TUPLE_KEY = "$tuple"
_INT_LIMIT = 2**63  # integers travel as 64-bit values: -2**63 .. 2**64 - 1

_dumps = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode
_quote = json.encoder.encode_basestring


class ItemError(TypeError):
    """A value agdf cannot carry between nodes (not a JSON value or a tuple)."""


def _describe(value) -> str:
    t = type(value)
    return t.__name__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__qualname__}"


def _plain(value, where: str):
    """`value` with tuples as {"$tuple": [...]}; raises ItemError for anything not JSON."""
    t = type(value)
    if t is int:
        if not -_INT_LIMIT <= value < _INT_LIMIT * 2:
            raise ItemError(f"{where}: the integer {value} does not fit in 64 bits")
        return value
    if t is str or t is bool or value is None:
        return value
    if t is float:
        if not math.isfinite(value):
            raise ItemError(f"{where}: {value!r} is not a JSON number; agdf items are JSON values")
        return value
    if t is list:
        return [_plain(v, where) for v in value]
    if t is tuple:
        return {TUPLE_KEY: [_plain(v, where) for v in value]}
    if t is dict:
        out = {}
        for k, v in value.items():
            if type(k) is not str:
                raise ItemError(
                    f"{where}: a dict key {k!r} ({_describe(k)}) is not a string; "
                    "agdf items are JSON values, whose object keys are strings"
                )
            out[k] = _plain(v, where)
        return out
    # Subclasses (an IntEnum, a str subclass) travel as their base type.
    if isinstance(value, str):
        return value[:]
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return _plain(int(value), where)
    if isinstance(value, float):
        return _plain(float(value), where)
    raise ItemError(
        f"{where}: a {_describe(value)} is not a JSON value; agdf items are None, bool, "
        "int, float, str, list, dict (str keys) or tuple - convert it first"
    )


def encode(value, where: str = "item") -> str:
    """JSON text of an item; `where` names it in errors (e.g. "node 'load' yielded")."""
    t = type(value)
    if t is int and -_INT_LIMIT <= value < _INT_LIMIT * 2:
        return int.__repr__(value)
    if t is str:
        return _quote(value)
    if value is None:
        return "null"
    if t is bool:
        return "true" if value else "false"
    return _dumps(_plain(value, where))


def _hook(obj: dict):
    if len(obj) == 1:
        inner = obj.get(TUPLE_KEY)
        if type(inner) is list:
            return tuple(inner)
    return obj


_decoder = json.JSONDecoder(object_hook=_hook)
_scan = json.scanner.make_scanner(_decoder)


def decode(text: str):
    """The item an encode() made: tuples back as tuples."""
    try:
        value, end = _scan(text, 0)
        if end == len(text):
            return value
    except StopIteration:
        pass
    return _decoder.decode(text)  # leading or trailing space, or an error with its message


def is_immutable_json(value) -> bool:
    """True for None, bool, int, float, str and tuples of them: a default that can travel
    as JSON and be applied by the daemon without changing what the function sees."""
    t = type(value)
    if value is None or t is bool or t is int or t is str:
        return True
    if t is float:
        return math.isfinite(value)
    if t is tuple:
        return all(is_immutable_json(v) for v in value)
    return False
