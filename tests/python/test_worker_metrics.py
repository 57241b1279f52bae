"""The worker metrics on the daemon's /metrics (issue 14 with issue 11): workers connected,
and calls handed to workers per function, scraped from a real daemon with a real worker."""

import re
import urllib.request

from harness import DaemonTest, graph, node, wait_until


class WorkerMetrics(DaemonTest):
    daemon_flags = ("--http-listen", "127.0.0.1:0",
                    "--worker-heartbeat-ms", "200", "--worker-timeout-ms", "1000")

    def metric(self, name, labels=""):
        with urllib.request.urlopen(self.daemon.http_url + "/metrics", timeout=10) as reply:
            text = reply.read().decode()
        match = re.search(rf"^{re.escape(name + labels)} (\S+)$", text, re.MULTILINE)
        return float(match.group(1)) if match else None

    def test_workers_connected_and_calls_in_flight_follow_the_worker(self):
        self.assertEqual(self.metric("agdf_workers_connected"), 0)
        worker = self.start_worker("metrics-worker")
        self.assertEqual(self.metric("agdf_workers_connected"), 1)

        # Two calls that last until cancelled: both are at the worker at once.
        items = [{"x": 1, "ms": 60_000}, {"x": 2, "ms": 60_000}]
        g = graph([node("source", "values", config={"values": items}),
                   node("slow", "slow", max_tasks=2)],
                  [("source", "slow")])
        in_flight = '{function="slow"}'
        with self.daemon.client() as c:
            run_id = c.submit(g)
            wait_until(lambda: self.metric("agdf_worker_calls_in_flight", in_flight) == 2,
                       what="two calls of slow in flight")
            c.cancel(run_id)
            wait_until(lambda: c.get(run_id)["state"] == "cancelled", what="the run to cancel")
        wait_until(lambda: self.metric("agdf_worker_calls_in_flight", in_flight) == 0,
                   what="no call of slow in flight once the run is cancelled")

        worker.stop()
        wait_until(lambda: self.metric("agdf_workers_connected") == 0,
                   what="the stopped worker to be counted out")
