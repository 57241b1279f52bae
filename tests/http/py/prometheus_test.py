"""/metrics checked by Prometheus's own tools: `promtool check metrics` accepts what a
real daemon serves after known runs, and a real Prometheus server, started here on
loopback, scrapes the daemon and answers PromQL queries with the expected counts."""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from daemon import Daemon, free_port, wait_until  # noqa: E402

ARGS = None


def range_to_discard(stop):
    return {"nodes": [{"name": "numbers", "function": "range", "config": {"stop": stop}},
                      {"name": "sink", "function": "discard"}],
            "edges": [["numbers", "sink"]]}


HALTS = {"nodes": [{"name": "extract", "function": "values", "config": {"values": ["a", "b", "c"]}},
                   {"name": "load", "function": "fail_if", "halt_on_exception": True,
                    "config": {"values": ["b"]}}],
         "edges": [["extract", "load"]]}


class Metrics(unittest.TestCase):
    def setUp(self):
        self.daemon = Daemon(ARGS.server)
        self.addCleanup(self.daemon.stop)
        ids = [self.daemon.submit(range_to_discard(n), labels=["suite=prom"]) for n in (10, 20, 30)]
        ids.append(self.daemon.submit(HALTS))
        for run_id in ids:
            self.daemon.wait_final(run_id)

    def test_promtool_accepts_the_exposition(self):
        status, text = self.daemon.request("GET", "/metrics")
        self.assertEqual(status, 200)
        check = subprocess.run(["promtool", "check", "metrics"], input=text, text=True,
                               capture_output=True, timeout=60)
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        self.assertEqual((check.stdout + check.stderr).strip(), "",
                         "promtool found problems:\n" + check.stdout + check.stderr)

    def test_a_real_prometheus_scrapes_the_daemon(self):
        work = tempfile.mkdtemp(prefix="agdf-prometheus-")
        self.addCleanup(shutil.rmtree, work, True)
        target = urllib.parse.urlparse(self.daemon.url).netloc
        with open(os.path.join(work, "prometheus.yml"), "w") as config:
            config.write("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                         "scrape_configs:\n  - job_name: agdf\n    static_configs:\n"
                         f"      - targets: ['{target}']\n")
        port = free_port()
        log = open(os.path.join(work, "prometheus.log"), "w")
        prometheus = subprocess.Popen(
            ["prometheus", f"--config.file={work}/prometheus.yml",
             f"--storage.tsdb.path={work}/data", f"--web.listen-address=127.0.0.1:{port}"],
            stdout=log, stderr=subprocess.STDOUT)

        def stop():
            prometheus.terminate()
            try:
                prometheus.wait(30)
            except subprocess.TimeoutExpired:
                prometheus.kill()
            log.close()
        self.addCleanup(stop)
        base = f"http://127.0.0.1:{port}"

        def query(promql):
            url = f"{base}/api/v1/query?" + urllib.parse.urlencode({"query": promql})
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    answer = json.load(response)
            except OSError:
                return None
            results = answer.get("data", {}).get("result", [])
            return results[0]["value"][1] if results else None

        def finished():
            return query('agdf_runs_finished_total{job="agdf",state="completed"}') == "3"
        wait_until(finished, timeout=90, interval=0.25, what="Prometheus to scrape 3 completed runs")
        self.assertEqual(query('agdf_runs_finished_total{state="halted"}'), "1")
        self.assertEqual(query('agdf_runs_submitted_total'), "4")
        self.assertEqual(query('sum(agdf_function_items_in_total{function="discard"})'), "60")
        self.assertEqual(query('agdf_function_errors_total{function="fail_if"}'), "1")
        self.assertEqual(query('up{job="agdf"}'), "1")


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    ARGS, rest = parser.parse_known_args()
    for tool in ("promtool", "prometheus"):
        if not shutil.which(tool):
            print(f"FAIL: {tool} is not installed; scripts/setup.sh installs the Debian package "
                  "'prometheus'", file=sys.stderr)
            return 1
    result = unittest.main(argv=[sys.argv[0], "-v", *rest], exit=False).result
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
