"""Worker processes serving functions to a real agdf-server: the graph's rules applied to
remote functions, errors, halting, concurrency, back-pressure and cancellation."""

import unittest

import agdf
from harness import DaemonTest, graph, node, records, wait_until


def values(name, items, **options):
    return node(name, "values", config={"values": items}, **options)


class RemoteFunctions(DaemonTest):
    def setUp(self):
        super().setUp()
        self.start_worker()

    def test_functions_of_workers_are_listed_with_their_workers(self):
        functions = self.daemon.functions()
        self.assertEqual(functions["describe"]["workers"], ["test-worker"])
        self.assertEqual(functions["describe"]["params"],
                         [{"name": "x"}, {"name": "y", "default": "default"}])
        # A default that is not an immutable JSON value stays with the worker.
        self.assertEqual(functions["keep_default"]["params"][1],
                         {"name": "seen", "default": {"$default": "[]"}})
        self.assertNotIn("workers", functions["echo"])  # a built-in

    def test_each_unpacking_rule_applies_to_remote_functions(self):
        items = [{"$tuple": ["a", "b"]}, {"x": 1, "y": 2}, ["a", "list"], "text",
                 {"$tuple": [1, 2, 3]}, {"z": 3}, {"$tuple": []}]
        g = graph([values("source", items), node("describe"),
                   node("kinds", unpack_input=False), node("no_params")],
                  [("source", "describe"), ("source", "kinds"), ("source", "no_params")])
        run = self.run_graph(g)
        self.assertEqual(run["state"], "completed")
        stats = run["stats"]
        self.assertEqual((stats["describe"]["in"], stats["describe"]["out"],
                          stats["describe"]["err"]), (7, 4, 3))
        self.assertEqual(stats["kinds"]["out"], 7)
        self.assertEqual(stats["no_params"]["out"], 7)
        self.assertEqual([e["message"] for e in run["exceptions"]["describe"]], [
            "describe() takes 2 positional arguments but 3 were given",
            "describe() got an unexpected keyword argument 'z'",
            "describe() missing 1 required positional argument: 'x'",
        ])
        self.assertTrue(all(e["type"] == "TypeError" for e in run["exceptions"]["describe"]))

        outputs = self.outputs(g, ["describe", "kinds", "no_params"])
        self.assertEqual(outputs["describe"], [
            {"x": "a", "y": "b", "types": ["str", "str"]},
            {"x": 1, "y": 2, "types": ["int", "int"]},
            {"x": ["a", "list"], "y": "default", "types": ["list", "str"]},
            {"x": "text", "y": "default", "types": ["str", "str"]},
        ])
        self.assertEqual(outputs["kinds"], ["tuple", "dict", "list", "str", "tuple", "dict", "tuple"])
        self.assertEqual(outputs["no_params"], ["called"] * 7)

    def outputs(self, g, nodes):
        with self.daemon.client() as c:
            run_id = c.submit(g, capture=nodes)
            out = {n: [] for n in nodes}
            for event in c.watch(run_id):
                if event["type"] == "output":
                    out[event["node"]].append(event["item"])
        return out

    def test_a_default_the_worker_keeps_is_applied_by_python(self):
        g = graph([values("source", ["a"]), node("keep_default")], [("source", "keep_default")])
        self.assertEqual(self.outputs(g, ["keep_default"])["keep_default"],
                         [{"x": "a", "seen": [], "default_type": "list"}])

    def test_tuples_stay_tuples_and_lists_stay_lists(self):
        g = graph([node("tuples"), node("kinds", unpack_input=False)], [("tuples", "kinds")])
        out = self.outputs(g, ["tuples", "kinds"])
        self.assertEqual(out["tuples"], [(1, 2), [1, 2], ((1, (2, 3)), [4, (5,)]), {"t": (1, "a")}])
        self.assertIsInstance(out["tuples"][0], tuple)
        self.assertIsInstance(out["tuples"][1], list)
        self.assertEqual(out["kinds"], ["tuple", "list", "tuple", "dict"])

    def test_an_error_raised_remotely_is_a_node_error_and_the_run_goes_on(self):
        g = graph([values("source", ["a", "boom", "c"]), node("fail_on")], [("source", "fail_on")])
        run = self.run_graph(g)
        self.assertEqual(run["state"], "completed")
        self.assertEqual((run["stats"]["fail_on"]["out"], run["stats"]["fail_on"]["err"]), (2, 1))
        self.assertEqual(run["exceptions"]["fail_on"],
                         [{"type": "ValueError", "message": "intentional error for boom"}])

    def test_halting_at_a_remote_node_drops_what_is_queued(self):
        g = graph([values("extract", ["data1", "data2", "boom", "data4", "boom"]),
                   node("load", "fail_late", halt_on_exception=True),
                   node("output", "passthrough")],
                  [("extract", "load"), ("load", "output")])
        run = self.run_graph(g)
        self.assertEqual(run["state"], "halted")
        s = run["stats"]
        self.assertEqual(s["extract"]["out"], 5)
        self.assertEqual([s["load"]["in"], s["load"]["out"], s["load"]["err"]], [5, 2, 1])
        self.assertEqual([s["output"]["in"], s["output"]["out"]], [2, 2])
        self.assertEqual(run["exceptions"]["load"],
                         [{"type": "ValueError", "message": "intentional error for boom"}])

    def test_a_yielded_exception_is_an_error(self):
        g = graph([values("source", ["x"]), node("yield_exception")], [("source", "yield_exception")])
        run = self.run_graph(g)
        s = run["stats"]["yield_exception"]
        self.assertEqual((s["out"], s["err"]), (1, 1))
        self.assertEqual(run["exceptions"]["yield_exception"],
                         [{"type": "KeyError", "message": "'yielded, not raised'"}])

    def test_an_item_that_is_not_json_is_an_error_naming_the_node_and_the_type(self):
        g = graph([values("source", ["datetime", "bytes", "set", "object", "fine"]),
                   node("bad", "bad_item")], [("source", "bad")])
        run = self.run_graph(g)
        self.assertEqual((run["stats"]["bad"]["out"], run["stats"]["bad"]["err"]), (1, 4))
        messages = [e["message"] for e in run["exceptions"]["bad"]]
        for kind, message in zip(["datetime.datetime", "bytes", "set", "object"], messages):
            self.assertTrue(message.startswith(f"node 'bad' yielded: a {kind} is not a JSON value"),
                            message)
        self.assertTrue(all(e["type"] == "ItemError" for e in run["exceptions"]["bad"]))

    def test_blocking_code_through_run_in_executor_works(self):
        g = graph([values("source", [1, 2, 3]), node("blocking", max_tasks=3)],
                  [("source", "blocking")])
        self.assertEqual(sorted(self.outputs(g, ["blocking"])["blocking"]), [1, 4, 9])

    def test_max_tasks_calls_run_at_once_whichever_the_worker(self):
        g = graph([values("source", list(range(7))), node("slow", max_tasks=3)], [("source", "slow")])
        run = self.run_graph(g)
        self.assertEqual(run["stats"]["slow"]["out"], 7)
        events = sorted((stamp, +1 if kind == "start" else -1)
                        for kind, _, stamp in records(self.records) if kind in ("start", "end"))
        running = most = 0
        for _, delta in events:
            running += delta
            most = max(most, running)
        self.assertEqual(most, 3)

    def test_cancelling_a_run_cancels_the_remote_call(self):
        g = graph([values("source", ["forever"]), node("endless")], [("source", "endless")])
        with self.daemon.client() as c:
            run_id = c.submit(g)
            wait_until(lambda: any(k == "start" for k, _, _ in records(self.records)),
                       what="the remote call to start")
            self.assertEqual(c.cancel(run_id), "cancelled")
        wait_until(lambda: any(k == "cancelled" for k, _, _ in records(self.records)),
                   what="the worker to see the cancellation")

    def test_a_timeout_cancels_the_remote_call(self):
        g = graph([values("source", ["slow one"]), node("endless", timeout_ms=300)],
                  [("source", "endless")])
        run = self.run_graph(g)
        self.assertEqual(run["exceptions"]["endless"],
                         [{"type": "TimeoutError", "message": "timed out after 300 ms"}])
        wait_until(lambda: any(k == "cancelled" for k, _, _ in records(self.records)),
                   what="the worker to see the cancellation")

    def test_a_retry_policy_applies_to_remote_calls(self):
        # Each attempt is a new call at the worker; the input that finally failed counts once.
        g = graph([values("source", ["boom"]),
                   node("fail_on", retry={"attempts": 3, "backoff_ms": 1})],
                  [("source", "fail_on")])
        run = self.run_graph(g)
        self.assertEqual((run["stats"]["fail_on"]["out"], run["stats"]["fail_on"]["err"]), (0, 1))

    def test_a_graph_naming_a_function_no_worker_offers_is_invalid(self):
        with self.daemon.client() as c:
            with self.assertRaises(agdf.RunFailed) as refused:
                c.submit(graph([node("a", "not_served_anywhere")]))
        self.assertIn("unknown function 'not_served_anywhere'", refused.exception.details)


class BackPressure(DaemonTest):
    # Small windows, so the bound is visible with few items.
    daemon_flags = ("--worker-window", "16", "--worker-lookahead", "4")

    def test_a_slow_remote_node_pauses_the_remote_source_at_its_yield(self):
        self.start_worker()
        n = 300
        g = graph([node("source", "produce"), node("slow_sink", queue_size=5)],
                  [("source", "slow_sink")], start_nodes={"source": [n]})
        most_queued = most_ahead = 0
        with self.daemon.client() as c:
            run_id = c.submit(g, stats_interval_ms=20)
            for event in c.watch(run_id):
                if event["type"] == "stats":
                    most_queued = max(most_queued, event["nodes"]["slow_sink"]["queued"])
                    seen = records(self.records)
                    made = sum(1 for kind, _, _ in seen if kind == "yield")
                    consumed = sum(1 for kind, _, _ in seen if kind == "end")
                    most_ahead = max(most_ahead, made - consumed)
                if event["type"] == "finished":
                    self.assertEqual(event["state"], "completed")
                    self.assertEqual(event["stats"]["slow_sink"]["in"], n)
        self.assertLessEqual(most_queued, 5)
        # What the generator made but the sink has not finished: the yield window (16),
        # the queue (5) and the sink's calls placed at the worker (1 + lookahead 4), at
        # most - not the whole 300: the generator waited at its yield.
        self.assertLessEqual(most_ahead, 16 + 5 + 5 + 2)
        self.assertGreater(most_ahead, 0)


if __name__ == "__main__":
    unittest.main()
