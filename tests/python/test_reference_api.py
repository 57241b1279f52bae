"""The reference API on the daemon: scripts written for async-graph-data-flow, unchanged
but for the import (examples/python/reference), give the reference's counts; and the
API's own surface (errors, properties) reads as the reference's."""

import asyncio
import json
import logging
import os
import subprocess
import unittest

from agdf import AsyncExecutor, AsyncGraph, InvalidAsyncGraphError
from harness import EXAMPLES, PYTHON, Daemon, child_env

SCRIPTS = EXAMPLES / "python" / "reference"


def counts(stats):
    return {node: [s["in"], s["out"], s["err"]] for node, s in stats.items()}


class Scripts(unittest.TestCase):
    """Each script runs in its own process, on a private agdf-server it starts itself."""

    def run_script(self, name, **env):
        done = subprocess.run([PYTHON, str(SCRIPTS / name)], env=child_env(**env),
                              capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        lines = done.stdout.strip().splitlines()
        return (json.loads(lines[-1]) if lines and lines[-1].startswith("{") else None), done

    def test_linear_worked_example(self):
        result, _ = self.run_script("three_nodes.py")
        self.assertEqual(counts(result), {"extract": [0, 2, 0], "transform": [2, 2, 0],
                                          "load": [2, 2, 0]})

    def test_branching(self):
        result, done = self.run_script("branching.py")
        self.assertEqual(counts(result), {"extract": [0, 2, 0], "transform": [2, 2, 0],
                                          "load": [2, 2, 0], "print_data": [2, 2, 0],
                                          "end_task": [2, 2, 0]})
        self.assertIn("data: A", done.stdout)

    def test_halting_at_a_node(self):
        result, done = self.run_script("halt_at_node.py")
        self.assertEqual(counts(result["stats"]), {"extract": [0, 5, 0], "transform": [5, 5, 0],
                                                   "load": [5, 2, 1], "output": [2, 2, 0]})
        self.assertEqual(result["exceptions"]["load"],
                         ["ValueError('intentional error for Data3')"])
        self.assertIn("ERROR Pipeline execution halted due to an exception in load node", done.stderr)
        self.assertIn("ValueError: intentional error for Data3", done.stderr)  # the traceback

    def test_halting_at_any_node(self):
        result, done = self.run_script("halt_at_any_node.py")
        self.assertEqual(counts(result["stats"]), {"extract": [0, 2, 0], "load": [2, 1, 1],
                                                   "output": [1, 1, 0]})
        self.assertIn("Pipeline execution halted due to an exception in load node", done.stderr)

    def test_custom_start_nodes(self):
        result, _ = self.run_script("custom_start_nodes.py")
        self.assertEqual(counts(result["stats"]), {"node1": [0, 0, 0], "node2": [0, 2, 0],
                                                   "node3": [2, 2, 0]})
        self.assertEqual(result["start_nodes"], {"node2": ["new_data"]})

    def test_start_node_arguments(self):
        result, done = self.run_script("start_node_args.py")
        self.assertEqual(counts(result["stats"]), {"node1": [0, 1, 0], "node2": [0, 1, 0],
                                                   "node3": [2, 2, 0]})
        self.assertEqual(result["start_nodes"], {"node1": ["foo"], "node2": ["hello", "world"]})
        self.assertIn("hello world", done.stdout)

    def test_no_edges(self):
        result, _ = self.run_script("no_edges.py")
        self.assertEqual(counts(result["stats"]), {"node1": [0, 1, 0], "node2": [0, 1, 0],
                                                   "node3": [0, 1, 0]})
        self.assertEqual(result["start_nodes"], {"node1": [], "node2": [], "node3": []})

    def test_unpacking(self):
        result, _ = self.run_script("unpacking.py")
        self.assertEqual(counts(result["stats"]), {"source": [0, 7, 0], "load": [7, 4, 3],
                                                   "whole": [7, 7, 0], "ignore": [7, 7, 0]})
        self.assertEqual(result["exceptions"]["load"], [
            "TypeError: load() takes 2 positional arguments but 3 were given",
            "TypeError: load() got an unexpected keyword argument 'z'",
            "TypeError: load() missing 1 required positional argument: 'x'",
        ])

    def test_exceptions_are_the_objects_raised(self):
        result, _ = self.run_script("raising_exception.py")
        self.assertEqual(counts(result["stats"]), {"node1": [0, 2, 0], "node2": [2, 0, 2]})
        self.assertEqual(result["types"], ["NotAllowed", "NotAllowed"])
        self.assertTrue(result["are_objects"])
        self.assertEqual(result["messages"], ["intentional error for hello",
                                              "intentional error for world"])

    def test_data_flow_logging(self):
        _, done = self.run_script("data_flow_logging.py")
        lines = done.stderr.splitlines()
        self.assertIn(" extract - in=0, out=3, err=0", lines)
        self.assertIn(" load - in=3, out=3, err=0", lines)
        self.assertFalse(any(line.startswith(" transform - ") for line in lines))  # filtered
        self.assertGreaterEqual(sum(1 for line in lines if line.startswith(" extract - ")), 2)

    def test_concurrent_tasks(self):
        result, _ = self.run_script("concurrent_tasks.py")
        self.assertEqual(counts(result["stats"]), {"node1": [0, 5, 0], "node2": [5, 5, 0]})
        self.assertEqual(result["most_at_once"], 5)

    def test_blocking_code_in_an_executor(self):
        result, _ = self.run_script("sync_call.py")
        self.assertEqual(result["squares"], [0, 1, 4])

    def test_closures_lambdas_and_shared_state(self):
        result, _ = self.run_script("shared_state.py")
        self.assertEqual(counts(result["stats"]), {"count": [0, 4, 0], "add_offset": [4, 4, 0],
                                                   "collect": [4, 4, 0]})
        self.assertEqual(result["collected"], [10, 11, 12, 13])

    def test_a_preloaded_queue(self):
        result, _ = self.run_script("preloaded_queue.py")
        self.assertEqual(counts(result), {"extract": [0, 1, 0], "load": [1, 3, 0]})

    def test_on_a_daemon_named_by_agdf_server(self):
        daemon = Daemon()
        self.addCleanup(daemon.close)
        result, _ = self.run_script("three_nodes.py", AGDF_SERVER=daemon.address)
        self.assertEqual(counts(result)["load"], [2, 2, 0])
        self.assertIn('msg="worker registered" worker=python-executor', daemon.log())  # it ran there


async def gen():
    yield 1


async def take(x):
    yield x


class Surface(unittest.TestCase):
    def test_graph_errors_read_as_the_reference(self):
        g = AsyncGraph()
        g.add_node(gen)
        with self.assertRaisesRegex(ValueError, "^node 'gen' already exists in the graph$"):
            g.add_node(gen)
        with self.assertRaisesRegex(TypeError, "^node 'plain' isn't an async generator function$"):
            g.add_node(lambda: None, name="plain")
        with self.assertRaisesRegex(ValueError, "^src_node 'nope' not registered in the graph$"):
            g.add_edge("nope", gen)
        with self.assertRaisesRegex(ValueError, "^dst_node 'take' not registered in the graph$"):
            g.add_edge(gen, take)
        g.add_node(take)
        g.add_edge(gen, take)
        g.add_edge(gen, take)  # harmless
        with self.assertRaisesRegex(InvalidAsyncGraphError, "^Graph has a cycle$"):
            g.add_edge(take, gen)
        self.assertEqual(g.edges, {("gen", "take")})
        self.assertEqual(g.nodes_to_edges, {"gen": {"take"}, "take": set()})
        self.assertEqual([n["name"] for n in g.nodes], ["gen", "take"])
        self.assertEqual(set(g.nodes[0]), {"func", "name", "queue", "queue_size", "max_tasks",
                                           "halt_on_exception", "unpack_input"})
        with self.assertRaises(TypeError):
            g.add_node(take, name="q", queue=[1])

    def test_executor_errors_read_as_the_reference(self):
        with self.assertRaises(TypeError):
            AsyncExecutor("not a graph")
        g = AsyncGraph()
        g.add_node(gen)
        g.add_node(take)
        g.add_edge(gen, take)
        x = AsyncExecutor(g)
        self.assertIsNone(x.data_flow_stats)
        self.assertIsNone(x.exceptions)
        self.assertEqual(x.start_nodes, {"gen": ()})
        with self.assertRaisesRegex(ValueError, "^The graph doesn't have the node 'x'$"):
            x.execute(start_nodes={"x": ()})
        with self.assertRaisesRegex(TypeError, "isn't a tuple"):
            x.execute(start_nodes={"take": [1]})
        with self.assertRaisesRegex(InvalidAsyncGraphError, "^The graph has no start nodes$"):
            x.execute(start_nodes={})

    def test_a_custom_queue_is_refused_naming_the_queue_kinds(self):
        class Batching(asyncio.Queue):
            pass

        g = AsyncGraph()
        g.add_node(gen)
        g.add_node(take, queue=Batching())
        g.add_edge(gen, take)
        with self.assertRaises(TypeError) as refused:
            AsyncExecutor(g).execute()
        self.assertIn("node 'take': a custom queue (Batching)", str(refused.exception))
        self.assertIn("fifo, batch (size, max_wait_ms), zip (sources), preload (items)",
                      str(refused.exception))

    def test_execute_runs_on_a_named_daemon_and_logs_to_the_given_logger(self):
        daemon = Daemon()
        self.addCleanup(daemon.close)
        g = AsyncGraph()
        g.add_node(gen)
        g.add_node(take)
        g.add_edge(gen, take)
        x = AsyncExecutor(g, server=daemon.address, logger=logging.getLogger("mine"))
        x.turn_on_data_flow_logging()
        with self.assertLogs("mine", level="INFO") as logs:
            x.execute()
        self.assertEqual(x.data_flow_stats, {"gen": {"in": 0, "out": 1, "err": 0},
                                             "take": {"in": 1, "out": 1, "err": 0}})
        self.assertEqual(x.exceptions, {"gen": [], "take": []})
        self.assertIn("INFO:mine: take - in=1, out=1, err=0", logs.output)
        x.execute()  # a second execution re-registers under new names
        self.assertEqual(x.data_flow_stats["take"]["out"], 1)


if __name__ == "__main__":
    unittest.main()
