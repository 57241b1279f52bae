"""A real agdf-server on loopback for the Python tests: started with its HTTP port,
talked to over HTTP only (urllib), stopped with SIGTERM."""
import json
import os
import signal
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

SKIP = 77  # ctest's SKIP_RETURN_CODE for these tests


class Daemon:
    def __init__(self, binary, *extra):
        # A run history of its own: one daemon per state directory.
        self.state_dir = tempfile.mkdtemp(prefix="agdf-py-state-")
        self.process = subprocess.Popen(
            [binary, "serve", "--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0",
             "--log-level", "warn", "--state-dir", self.state_dir, *extra],
            stdout=subprocess.PIPE, text=True)
        self.grpc = self._line("agdf-server listening on ")
        self.url = self._line("agdf-server http listening on ")

    def _line(self, prefix, timeout=30):
        # readline blocks; a daemon that never says it is kills itself after `timeout`.
        watchdog = threading.Timer(timeout, self.process.kill)
        watchdog.start()
        try:
            for line in iter(self.process.stdout.readline, ""):
                if line.startswith(prefix):
                    return line[len(prefix):].strip()
        finally:
            watchdog.cancel()
        self.stop()
        raise RuntimeError(f"agdf-server never printed {prefix!r}")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout and not self.process.stdout.closed:
            self.process.stdout.close()
        shutil.rmtree(self.state_dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    # ---- HTTP ----
    def request(self, method, path, body=None, headers=None):
        data = body.encode() if isinstance(body, str) else body
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def json(self, method, path, body=None):
        status, text = self.request(method, path, body)
        return status, json.loads(text) if text else None

    def submit(self, graph, labels=()):
        query = "&".join(f"label={label}" for label in labels)
        status, answer = self.json("POST", "/api/runs" + (f"?{query}" if query else ""),
                                   json.dumps(graph))
        if status != 201:
            raise AssertionError(f"submit refused: {status} {answer}")
        return answer["run_id"]

    def wait_final(self, run_id, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, run = self.json("GET", f"/api/runs/{run_id}")
            if run["state"] in ("completed", "halted", "cancelled", "failed"):
                return run
            time.sleep(0.02)
        raise AssertionError(f"run {run_id} did not finish in {timeout} s")


def wait_until(predicate, timeout=60, interval=0.05, what="the condition"):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def artifacts_dir(path):
    os.makedirs(path, exist_ok=True)
    return path
