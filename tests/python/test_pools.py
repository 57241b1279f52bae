"""Pools of workers sharing a function: load spread over them, a worker killed with -9 in
the middle of a run (nothing lost, nothing forwarded twice), a worker that connects after
the graph was submitted, name clashes refused, a daemon restarting under its workers."""

import os
import signal
import subprocess
import time
import unittest
from collections import Counter

from harness import (HERE, PYTHON, Daemon, DaemonTest, WorkerProcess, child_env, graph, node,
                     records, wait_until)


def outputs_of(client, run_id, node_name):
    items, final = [], None
    for event in client.watch(run_id):
        if event["type"] == "output" and event["node"] == node_name:
            items.append(event["item"])
        if event["type"] == "finished":
            final = event
    return items, final


class Pools(DaemonTest):
    # A stopped worker is noticed within a second.
    daemon_flags = ("--worker-heartbeat-ms", "200", "--worker-timeout-ms", "1000")

    def test_two_workers_share_a_function(self):
        self.start_worker("worker-a")
        self.start_worker("worker-b")
        self.daemon.wait_for_function("slow", ["worker-a", "worker-b"])
        g = graph([node("source", "range", config={"stop": 40}), node("slow", max_tasks=4)],
                  [("source", "slow")])
        g["nodes"][1]["function"] = "slow"
        run = self.run_graph(g)
        self.assertEqual((run["state"], run["stats"]["slow"]["out"]), ("completed", 40))
        ran = {w: sum(1 for k, _, _ in records(self.records, w) if k == "end")
               for w in ("worker-a", "worker-b")}
        self.assertEqual(sum(ran.values()), 40)
        self.assertGreater(ran["worker-a"], 0, ran)
        self.assertGreater(ran["worker-b"], 0, ran)

    def test_kill_9_of_a_worker_mid_run_loses_nothing_and_repeats_nothing(self):
        a = self.start_worker("worker-a")
        self.start_worker("worker-b")
        self.daemon.wait_for_function("slow", ["worker-a", "worker-b"])
        n = 150
        g = graph([node("source", "range", config={"stop": n}),
                   node("slow", "slow", max_tasks=4), node("sink", "discard")],
                  [("source", "slow"), ("slow", "sink")])
        with self.daemon.client() as c:
            run_id = c.submit(g, capture=["slow"])
            wait_until(lambda: sum(1 for k, _, _ in records(self.records, "worker-a")
                                   if k == "end") >= 5, what="worker-a to run calls")
            a.kill()
            items, final = outputs_of(c, run_id, "slow")
        self.assertEqual(final["state"], "completed")
        self.assertEqual(final["stats"]["sink"]["in"], n)
        self.assertEqual(sorted(items), list(range(n)))  # each item once: none lost, none twice
        self.assertEqual(final["exceptions"]["slow"], [])
        # worker-a held calls when it died; they went to worker-b.
        self.assertRegex(self.daemon.log(),
                         r'msg="worker lost" worker=worker-a .*calls_in_progress=[1-9]')

    def test_a_call_killed_mid_stream_is_replayed_without_repeating_its_yields(self):
        workers = {name: self.start_worker(name, ONLY="stream", wait_for="stream")
                   for name in ("worker-a", "worker-b")}
        self.daemon.wait_for_function("stream", list(workers))
        g = graph([node("stream"), node("sink", "discard")], [("stream", "sink")],
                  start_nodes={"stream": [60, 20]})

        def runner():
            return [n for n in workers if any(k == "start" for k, _, _ in records(self.records, n))]

        with self.daemon.client() as c:
            run_id = c.submit(g, capture=["stream"])
            wait_until(lambda: c.get(run_id)["stats"]["stream"]["out"] >= 10,
                       what="the call to forward items")
            (first,) = runner()
            workers[first].kill()
            items, final = outputs_of(c, run_id, "stream")
        self.assertEqual(final["state"], "completed")
        self.assertEqual(items, list(range(60)))  # replayed from the start, forwarded once
        self.assertEqual(final["stats"]["sink"]["in"], 60)
        self.assertEqual(sorted(runner()), ["worker-a", "worker-b"])  # the other one re-ran it

    def test_a_worker_that_connects_after_the_graph_was_submitted_runs_it(self):
        first = self.start_worker("early")
        first.stop()  # SIGTERM: it leaves; its functions stay listed, waiting for a worker
        wait_until(lambda: self.daemon.functions()["slow"]["workers"] == [],
                   what="the worker to leave")
        g = graph([node("source", "range", config={"stop": 5}), node("slow")], [("source", "slow")])
        with self.daemon.client() as c:
            run_id = c.submit(g)
            self.assertEqual(c.get(run_id)["state"], "running")
            self.start_worker("late")
            final = None
            for event in c.watch(run_id):
                if event["type"] == "finished":
                    final = event
        self.assertEqual((final["state"], final["stats"]["slow"]["out"]), ("completed", 5))

    def test_a_stopped_worker_is_lost_after_the_heartbeat_timeout(self):
        a = self.start_worker("worker-a")
        self.start_worker("worker-b")
        self.daemon.wait_for_function("slow", ["worker-a", "worker-b"])
        g = graph([node("source", "range", config={"stop": 30}), node("slow", max_tasks=4)],
                  [("source", "slow")])
        with self.daemon.client() as c:
            run_id = c.submit(g)
            wait_until(lambda: any(k == "start" for k, _, _ in records(self.records, "worker-a")),
                       what="worker-a to start a call")
            a.process.send_signal(signal.SIGSTOP)
            try:
                final = None
                for event in c.watch(run_id):
                    if event["type"] == "finished":
                        final = event
            finally:
                a.process.send_signal(signal.SIGCONT)
        self.assertEqual((final["state"], final["stats"]["slow"]["out"]), ("completed", 30))
        self.assertIn("heartbeat timeout", self.daemon.log())

    def test_a_name_a_builtin_owns_is_refused(self):
        w = WorkerProcess(self.daemon.address, script=HERE / "workers" / "clash.py", CLASH="builtin")
        self.workers.append(w)
        self.assertEqual(w.process.wait(60), 3)
        self.assertIn("refused: function 'echo' is a built-in function of the daemon", w.output())

    def test_another_signature_for_a_served_function_is_refused(self):
        self.start_worker()
        w = WorkerProcess(self.daemon.address, script=HERE / "workers" / "clash.py",
                          CLASH="signature")
        self.workers.append(w)
        self.assertEqual(w.process.wait(60), 3)
        self.assertIn("refused: function 'numbers' is served by 'test-worker' with the parameters "
                      "(n=5); this worker declares (count, step)", w.output())


class WaitingForWorkers(DaemonTest):
    daemon_flags = ("--worker-wait-ms", "500")

    def test_a_call_waits_for_a_worker_up_to_the_limit_then_fails_naming_the_cause(self):
        w = self.start_worker()
        w.stop()
        wait_until(lambda: self.daemon.functions().get("slow", {}).get("workers") == [],
                   what="the worker to leave")
        g = graph([node("source", "range", config={"stop": 1}), node("slow")], [("source", "slow")])
        run = self.run_graph(g)
        self.assertEqual(run["stats"]["slow"]["err"], 1)
        error = run["exceptions"]["slow"][0]
        self.assertEqual(error["type"], "WorkerUnavailable")
        self.assertIn("no worker serves function 'slow': its last worker 'test-worker' was lost",
                      error["message"])
        # Once nothing waits for it, the function leaves the list.
        wait_until(lambda: "slow" not in self.daemon.functions(), what="the function to go")


class DaemonRestart(unittest.TestCase):
    def test_a_worker_reconnects_when_the_daemon_restarts(self):
        daemon = Daemon()
        worker = WorkerProcess(daemon.address)
        try:
            daemon.wait_for_function("double")
            g = graph([node("source", "range", config={"stop": 3}), node("double")],
                      [("source", "double")])
            port = daemon.port
            self.assertEqual(daemon.stop(), 0)
            daemon.start(port)  # the same port: the worker keeps dialling it
            daemon.wait_for_function("double")
            with daemon.client() as c:
                run = c.run(g)
            self.assertEqual((run["state"], run["stats"]["double"]["out"]), ("completed", 3))
        finally:
            worker.stop()
            daemon.close()

    def test_a_queued_run_naming_worker_functions_fails_after_a_restart_saying_why(self):
        # Documented (README): the history restores queued runs before any worker connects.
        daemon = Daemon("--max-runs", "1")
        worker = WorkerProcess(daemon.address)
        try:
            daemon.wait_for_function("double")
            with daemon.client() as c:
                c.submit(graph([node("wait", "sleep", config={"ms": 60000})]))
                queued = c.submit(graph([node("source", "range", config={"stop": 3}),
                                         node("double")], [("source", "double")]))
                self.assertEqual(c.get(queued)["state"], "queued")
            port = daemon.port
            daemon.stop(signal.SIGKILL)  # a graceful stop would cancel the queued run
            daemon.start(port)
            with daemon.client() as c:
                run = c.get(queued)
            self.assertEqual(run["state"], "failed")
            self.assertIn("cannot run after the daemon restarted", run["failure"])
            self.assertIn("unknown function 'double'", run["failure"])
        finally:
            worker.stop()
            daemon.close()


if __name__ == "__main__":
    unittest.main()
