#!/usr/bin/env python3
"""Writes the seed corpus of both fuzz targets (fuzz/corpus/<target>/), including one
reproducer for every defect of issue 9. Deterministic: run it again after changing a seed.
Slot numbers follow graph_slots_fuzzer.cpp (the first byte of an input picks the slot)."""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))

# Slot numbers of graph_slots_fuzzer.cpp.
FUNCTIONS = ["values", "range", "sleep", "repeat", "template", "filter", "csv.write",
             "jsonl.read", "http.get", "fail_if", "echo", "json.pick"]
WHEN, QUEUE, START_NODES, START_ARGS, MAX_TASKS, QUEUE_SIZE, TIMEOUT, RETRY, \
    MAX_EXCEPTIONS, EDGES, NAME, LABELS = range(len(FUNCTIONS), len(FUNCTIONS) + 12)


def graph(nodes, edges=(), **extra):
    doc = {"nodes": nodes, "edges": list(edges)}
    doc.update(extra)
    return json.dumps(doc)


def node(name, function, config=None, **options):
    n = {"name": name, "function": function}
    if config is not None:
        n["config"] = config
    n.update(options)
    return n


def nested_not(depth):
    return '{"not": ' * depth + '{"field": "x", "op": "exists"}' + "}" * depth


def nested_arrays(depth):
    return "[" * depth + "]" * depth


def text_seeds():
    pair = [node("a", "range", {"stop": 2}), node("b", "discard")]
    seeds = {
        # Valid graphs: the shapes the format allows.
        "valid_three_nodes": graph([node("extract", "values", {"values": ["data1", "data2"]}),
                                    node("transform", "title_case"), node("load", "print")],
                                   [["extract", "transform"], ["transform", "load"]]),
        "valid_everything": graph(
            [node("src", "values", {"values": [1, {"x": 2}, {"$tuple": [1, 2]}]}, max_tasks=2,
                  queue_size=10, timeout_ms=100, retry={"attempts": 2, "backoff_ms": 1}),
             node("mid", "echo", queue={"kind": "batch", "size": 2, "max_wait_ms": 5}),
             node("zip", "template", {"params": ["a", "b"], "template": "{a}{b}"},
                  queue={"kind": "zip"}),
             node("pre", "discard", queue={"kind": "preload", "items": [1]})],
            [["src", "mid"], {"from": "mid", "to": "zip", "when": {"all": [
                {"field": "x", "op": ">=", "value": 1}, {"not": {"op": "exists", "field": "y"}}]}},
             ["src", "zip"]],
            start_nodes={"src": []}, max_exceptions=5, halt_on_exception=True),
        # Issue 9 reproducers, one per defect.
        "max_tasks_2pow31": graph([node("a", "discard", max_tasks=2**31)]),
        "max_tasks_int64_max": graph([node("a", "discard", max_tasks=2**63 - 1)]),
        "when_not_20000_deep": graph(pair, [{"from": "a", "to": "b", "when": "@"}]).replace(
            '"@"', nested_not(20000)),
        "config_100000_deep": graph([node("a", "values", {"values": "@"})]).replace(
            '"@"', nested_arrays(100000)),
        "queue_100000_deep": graph([node("a", "discard", queue={"kind": "preload",
                                                                 "items": "@"})]).replace(
            '"@"', nested_arrays(100000)),
        "cycle_through_10000_nodes": graph(
            [node(str(i), "echo") for i in range(10000)],
            [[str(i), str((i + 1) % 10000)] for i in range(10000)], start_nodes={"0": []}),
        "field_path_huge_index": graph(pair, [{"from": "a", "to": "b", "when": {
            "field": "a[99999999999999999999]", "op": "==", "value": 1}}]),
        "range_near_int64_max": graph([node("r", "range", {"start": 2**63 - 2, "stop": 2**63 - 1,
                                                           "step": 2**30})]),
        "sleep_ms_int64_max": graph([node("s", "sleep", {"ms": 2**63 - 1})]),
        "timeout_ms_1e13": graph([node("s", "sleep", {"ms": 50}, timeout_ms=10**13)]),
        "retry_backoff_int64_max": graph([node("s", "fail_if", {"values": [None]}, retry={
            "attempts": 3, "backoff_ms": 2**63 - 1, "max_backoff_ms": 2**63 - 1})]),
        "batch_max_wait_int64_max": graph([node("b", "discard", queue={
            "kind": "batch", "size": 2, "max_wait_ms": 2**63 - 1})]),
        "path_with_nul": graph([node("v", "values", {"values": [{"a": 1}]}),
                                node("w", "csv.write", {"path": "a\u0000b"})], [["v", "w"]]),
        "node_name_100kb": graph([node("n" * 100000, "discard")], [["n" * 100000, "ghost"]]),
        "invalid_utf8": None,  # bytes, below
        "syntax_error": '{"nodes": [\n  {"name": "a" "function": "echo"}]}',
        "exists_with_value": graph(pair, [{"from": "a", "to": "b", "when": {
            "field": "x", "op": "exists", "value": False}}]),
        "template_unknown_placeholder": graph([node("t", "template", {
            "params": ["greeting"], "template": "{greeting}, {name}!"})]),
        "duplicate_start_node": '{"nodes": [{"name": "a", "function": "echo"}], '
                                '"start_nodes": {"a": [1], "a": [2]}}',
        "unsigned_past_int64": '{"nodes": [{"name": "a", "function": "echo", '
                               '"max_tasks": 18446744073709551615, "queue_size": -1}]}',
    }
    out = {name: text.encode() for name, text in seeds.items() if text is not None}
    out["invalid_utf8"] = b'{"nodes": [{"name": "a\xff", "function": "echo"}]}'
    # nlohmann stops at a NUL byte: what follows it was ignored (found by this target).
    out["nul_byte_ends_the_parse"] = b'{"nodes": [{"name": "a", "function": "echo"}]}\x00\x8d"'
    return out


def slot_seeds():
    seeds = {
        "when_valid": (WHEN, '{"any": [{"field": "x", "op": "in", "value": [1, 2]}]}'),
        "when_not_20000_deep": (WHEN, nested_not(20000)),
        "when_field_path_huge_index": (WHEN, '{"field": "a[99999999999999999999]", "op": "==", '
                                             '"value": 1}'),
        "when_exists_with_value": (WHEN, '{"field": "x", "op": "exists", "value": true}'),
        "queue_zip": (QUEUE, '{"kind": "zip", "sources": ["a"]}'),
        "queue_preload_100000_deep": (QUEUE, '{"kind": "preload", "items": ' +
                                      nested_arrays(100000) + "}"),
        "queue_batch_max_wait": (QUEUE, '{"kind": "batch", "size": 3, '
                                        '"max_wait_ms": 9223372036854775807}'),
        "start_nodes_duplicate": (START_NODES, '{"a": [], "a": [1]}'),
        "start_args_deep": (START_ARGS, nested_arrays(100000)),
        "start_args_tuple": (START_ARGS, '[{"$tuple": [1, "x"]}]'),
        "max_tasks_2pow31": (MAX_TASKS, "2147483648"),
        "max_tasks_int64_max": (MAX_TASKS, "9223372036854775807"),
        "queue_size_huge": (QUEUE_SIZE, "18446744073709551615"),
        "timeout_1e13": (TIMEOUT, "10000000000000"),
        "retry_backoff": (RETRY, '{"attempts": 5, "backoff_ms": 9223372036854775807}'),
        "max_exceptions_zero": (MAX_EXCEPTIONS, "0"),
        "edges_self_loop": (EDGES, '[["a", "a"]]'),
        "name_100kb": (NAME, json.dumps("n" * 100000)),
        "name_invalid_utf8": (NAME, b'"\xc3\x28"'),
        "labels_100kb": (LABELS, "l" * 100000),
    }
    configs = {
        "values": '{"values": [1, [2], {"k": null}], "delay_ms": 9223372036854775807}',
        "range": '{"start": 9223372036854775806, "stop": 9223372036854775807, "step": 1073741824}',
        "sleep": '{"ms": 9223372036854775807}',
        "repeat": '{"times": 3, "delay_ms": -1}',
        "template": '{"params": ["greeting"], "template": "{greeting}, {name}!"}',
        "filter": '{"field": "a[99999999999999999999]", "op": "exists", "each": true}',
        "csv.write": '{"path": "a\\u0000b", "mode": "append"}',
        "jsonl.read": '{"path": "../etc/passwd"}',
        "http.get": '{"url": "http://127.0.0.1/a\\r\\nX: 1", "headers": {"X": "1\\r\\n"}, '
                    '"timeout_ms": 9223372036854775807, "retries": 4294967297}',
        "fail_if": '{"values": [1], "delay_ms": 2592000001}',
        "echo": '{"then": [1, 2]}',
        "json.pick": '{"fields": {"a.b": "c"}, "missing": "null"}',
    }
    for index, function in enumerate(FUNCTIONS):
        seeds["config_" + function.replace(".", "_")] = (index, configs[function])
    out = {}
    for name, (slot, payload) in seeds.items():
        data = payload if isinstance(payload, bytes) else payload.encode()
        out[name] = bytes([slot]) + data
    return out


def write(target, seeds):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    write("graph_text", text_seeds())
    write("graph_slots", slot_seeds())
