"""The showcase, written as the reference's docs write it, run three ways on the daemon:
through the reference API, as a worker plus `agdf run`, and as a worker the daemon
starts (`--worker`), against a loopback server (no internet)."""

import csv
import os
import subprocess
import tempfile
import unittest
from pathlib import Path

from brewery_server import COLUMNS, BreweryServer
from harness import CLI_BIN, EXAMPLES, PYTHON, SERVER_BIN, Daemon, WorkerProcess, child_env

SCRIPT = EXAMPLES / "python" / "breweries.py"
WORKER = EXAMPLES / "python" / "brewery_worker.py"
GRAPH = EXAMPLES / "python" / "breweries_worker.json"
COUNT = 450  # pages of 200, 200 and 50, then an empty one


class Breweries(unittest.TestCase):
    def setUp(self):
        self.api = BreweryServer(COUNT)
        self.addCleanup(self.api.close)
        self.dir = tempfile.mkdtemp(prefix="agdf-breweries-")
        self.csv = Path(self.dir) / "breweries.csv"
        self.env = {"BREWERY_API_URL": self.api.url, "BREWERY_CSV": str(self.csv)}

    def assert_csv(self):
        with open(self.csv, newline="", encoding="utf8") as f:
            rows = list(csv.reader(f))
        self.assertEqual(rows[0], COLUMNS)  # the header, once
        self.assertEqual(len(rows), 1 + COUNT)
        self.assertEqual([r[0] for r in rows[1:]], [f"b-{i:04d}" for i in range(COUNT)])
        self.assertEqual(rows[1][1], 'Brewery, "No. 0"')
        self.assertEqual([q["page"] for q in self.api.requests], [["1"], ["2"], ["3"], ["4"]])
        self.assertEqual(self.api.requests[0]["by_country"], ["United States"])

    def test_through_the_reference_api(self):
        done = subprocess.run([PYTHON, str(SCRIPT)], env=child_env(**self.env), cwd=self.dir,
                              capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn(f"data downloaded: {self.csv}", done.stdout)
        self.assert_csv()

    def test_as_a_worker_and_agdf_run(self):
        daemon = Daemon()
        self.addCleanup(daemon.close)
        worker = WorkerProcess(daemon.address, script=WORKER, name="breweries", **self.env)
        self.addCleanup(worker.stop)
        daemon.wait_for_function("write_to_csv")
        done = subprocess.run([CLI_BIN, "--server", daemon.address, "run", str(GRAPH)],
                              capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assert_csv()

    def test_as_a_worker_the_daemon_starts(self):
        command = f"{PYTHON} {WORKER}"
        daemon = Daemon("--worker", command, env=self.env)
        self.addCleanup(daemon.close)
        daemon.wait_for_function("write_to_csv")
        done = subprocess.run([CLI_BIN, "--server", daemon.address, "--json", "run", str(GRAPH)],
                              capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assert_csv()

    def test_as_a_worker_of_a_one_shot_run(self):
        done = subprocess.run([SERVER_BIN, "run", str(GRAPH), "--json", "--worker",
                               f"{PYTHON} {WORKER}"],
                              env=child_env(**self.env), capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assert_csv()


if __name__ == "__main__":
    unittest.main()
