"""Workers the daemon starts for you: `serve --worker`, AGDF_WORKERS and `run --worker`."""

import json
import os
import re
import signal
import subprocess
import tempfile
import unittest
from pathlib import Path

from harness import HERE, PYTHON, SERVER_BIN, Daemon, child_env, graph, node, wait_until

FUNCTIONS = HERE / "workers" / "functions.py"


def pids_started(log):
    return [int(p) for p in re.findall(r'msg="worker process started" .*pid=(\d+)', log)]


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is not alive either
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[0] != "Z"


class Supervisor(unittest.TestCase):
    def test_serve_starts_restarts_and_stops_its_workers(self):
        daemon = Daemon("--worker", f"{PYTHON} {FUNCTIONS}")
        self.addCleanup(daemon.close)
        daemon.wait_for_function("double", ["test-worker"])
        (first,) = pids_started(daemon.log())
        with daemon.client() as c:
            run = c.run(graph([node("n", "numbers"), node("double")], [("n", "double")]))
        self.assertEqual(run["stats"]["double"]["out"], 5)

        os.kill(first, signal.SIGKILL)
        wait_until(lambda: len(pids_started(daemon.log())) == 2, what="the worker to be restarted")
        self.assertIn('msg="worker process exited, restarting"', daemon.log())
        daemon.wait_for_function("double", ["test-worker"])
        second = pids_started(daemon.log())[1]
        self.assertNotEqual(first, second)

        self.assertEqual(daemon.stop(), 0)
        self.assertFalse(alive(second))

    def test_agdf_workers_takes_one_command_per_line(self):
        commands = "\n".join(f"WORKER_NAME={n} {PYTHON} {FUNCTIONS}" for n in ("one", "two"))
        daemon = Daemon(env={"AGDF_WORKERS": commands})
        self.addCleanup(daemon.close)
        daemon.wait_for_function("double", ["one", "two"])

    def test_run_with_a_worker_runs_the_graph_and_stops_it(self):
        path = Path(tempfile.mkdtemp()) / "graph.json"
        path.write_text(json.dumps(graph([node("n", "numbers"), node("double")], [("n", "double")],
                                         start_nodes={"n": [4]})))
        done = subprocess.run([SERVER_BIN, "run", str(path), "--json", "--worker", f"{PYTHON} {FUNCTIONS}"],
                              env=child_env(), capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stderr)
        result = json.loads(done.stdout)
        self.assertEqual(result["status"], "completed")
        self.assertEqual(result["stats"]["double"], {"in": 4, "out": 4, "err": 0})
        for pid in [int(p) for p in re.findall(r"worker process started .*pid=(\d+)", done.stderr)]:
            self.assertFalse(alive(pid))

    def test_run_names_the_functions_no_worker_registered(self):
        path = Path(tempfile.mkdtemp()) / "graph.json"
        path.write_text(json.dumps(graph([node("x", "never_registered")])))
        done = subprocess.run([SERVER_BIN, "run", str(path), "--worker", "sleep 60",
                               "--worker-wait-ms", "300"],
                              env=child_env(), capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 2)
        self.assertIn("no worker registered function 'never_registered' within 300 ms", done.stderr)
        self.assertIn("unknown function 'never_registered'", done.stderr)


if __name__ == "__main__":
    unittest.main()
