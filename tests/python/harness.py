"""What the Python tests share: a real agdf-server on a loopback port, real worker
processes, and polling with a generous deadline (never a bare sleep)."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

import agdf

HERE = Path(__file__).resolve().parent
SERVER_BIN = os.environ["AGDF_SERVER_BIN"]
CLI_BIN = os.environ.get("AGDF_CLI", "")
EXAMPLES = Path(os.environ.get("AGDF_EXAMPLES_DIR", HERE.parents[1] / "examples"))
PYTHON = "/usr/bin/python3"
DEADLINE = 60.0


def wait_until(predicate, timeout=DEADLINE, what="the condition"):
    """Polls `predicate` until it returns a true value (returned) or the deadline."""
    end = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


def child_env(**extra) -> dict:
    env = dict(os.environ)
    env.pop("AGDF_SERVER", None)
    env.update({k: str(v) for k, v in extra.items()})
    return env


class Daemon:
    """agdf-server serve on 127.0.0.1 (a free port, or `port` to come back on the same one)."""

    def __init__(self, *flags, port=0, data_dir=None, env=None, client_options=None):
        self.flags = list(flags)
        self.env = env or {}
        # How client() reaches it: the token and TLS settings of a secured daemon.
        self.client_options = client_options or {}
        self._tmp = tempfile.TemporaryDirectory(prefix="agdf-test-")
        self.data_dir = data_dir or str(Path(self._tmp.name) / "data")
        Path(self.data_dir).mkdir(exist_ok=True)
        # The run history of this daemon (and of its restarts), never the working directory's.
        self.state_dir = Path(self._tmp.name) / "state"
        self.stderr_path = Path(self._tmp.name) / "daemon.err"
        self.start(port)

    def start(self, port=0):
        self.stderr = open(self.stderr_path, "a")
        self.process = subprocess.Popen(
            [SERVER_BIN, "serve", "--listen", f"127.0.0.1:{port}", "--data-dir", self.data_dir,
             "--threads", "2", "--state-dir", str(self.state_dir), *self.flags],
            stdout=subprocess.PIPE, stderr=self.stderr, text=True, env=child_env(**self.env))
        # The announcements are read with os.read: a buffered readline could swallow the
        # second one, which select() would then never report.
        wants_http = any(f.startswith("--http-listen") for f in self.flags)
        fd, pending = self.process.stdout.fileno(), b""
        end = time.monotonic() + DEADLINE
        while time.monotonic() < end:
            ready, _, _ = select.select([fd], [], [], 0.1)
            chunk = os.read(fd, 4096) if ready else b""
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                text = line.decode()
                if text.startswith("agdf-server listening on "):
                    self.address = text.split()[-1]
                    self.port = int(self.address.rsplit(":", 1)[1])
                elif text.startswith("agdf-server http listening on "):
                    self.http_url = text.split()[-1]
            if hasattr(self, "address") and (not wants_http or hasattr(self, "http_url")):
                return
            if (ready and not chunk) or self.process.poll() is not None:
                break
        raise AssertionError(f"agdf-server did not start: {self.log()}")

    def log(self) -> str:
        self.stderr.flush()
        return self.stderr_path.read_text()

    def client(self) -> agdf.Client:
        return agdf.Client(self.address, **self.client_options)

    def stop(self, sig=signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()
        self.stderr.close()
        return self.process.returncode

    def close(self):
        self.stop()
        self._tmp.cleanup()

    def functions(self) -> dict:
        with self.client() as c:
            return {f["name"]: f for f in c.functions()}

    def wait_for_function(self, name, workers=None):
        def served():
            f = self.functions().get(name)
            if f is None or not f.get("workers"):
                return False
            return workers is None or sorted(f["workers"]) == sorted(workers)
        wait_until(served, what=f"a worker serving {name!r}")


class WorkerProcess:
    """A worker script run by Debian's python3 as a separate process."""

    def __init__(self, address, script=HERE / "workers" / "functions.py", name="test-worker",
                 record_dir=None, **env):
        self.name = name
        self.log_path = Path(tempfile.mkstemp(prefix="agdf-worker-", suffix=".log")[1])
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [PYTHON, str(script)], stdout=self._log, stderr=subprocess.STDOUT,
            env=child_env(AGDF_SERVER=address, WORKER_NAME=name, RECORD_DIR=record_dir or "",
                          **env))

    def output(self) -> str:
        self._log.flush()
        return self.log_path.read_text()

    def kill(self):
        """kill -9."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        self.log_path.unlink(missing_ok=True)


def records(record_dir, worker="test-worker") -> list[tuple[str, str]]:
    path = Path(record_dir) / f"{worker}.log"
    if not path.exists():
        return []
    out = []
    for line in path.read_text().splitlines():
        kind, rest = line.split(" ", 1)
        value, stamp = rest.rsplit(" ", 1)
        out.append((kind, value, float(stamp)))
    return out


def node(name, function=None, **options):
    return {"name": name, "function": function or name, **options}


def graph(nodes, edges=(), **extra):
    return {"nodes": list(nodes), "edges": [list(e) for e in edges], **extra}


class DaemonTest(unittest.TestCase):
    """A daemon per test class, a worker (all functions) started by each test that asks."""

    daemon_flags: tuple = ()

    @classmethod
    def setUpClass(cls):
        cls.daemon = Daemon(*cls.daemon_flags)

    @classmethod
    def tearDownClass(cls):
        cls.daemon.close()

    def setUp(self):
        self.records = tempfile.mkdtemp(prefix="agdf-records-")
        self.workers = []

    def tearDown(self):
        for w in self.workers:
            w.stop()

    def start_worker(self, name="test-worker", wait_for="numbers", **env):
        w = WorkerProcess(self.daemon.address, name=name, record_dir=self.records, **env)
        self.workers.append(w)
        if wait_for:
            try:
                wait_until(lambda: name in self.daemon.functions().get(wait_for, {}).get("workers", []),
                           what=f"worker {name} to register")
            except AssertionError:
                raise AssertionError(f"worker did not register: {w.output()}\n{self.daemon.log()}")
        return w

    def run_graph(self, g, **options) -> dict:
        with self.daemon.client() as c:
            return c.run(g, **options)
