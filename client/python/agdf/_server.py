"""A private agdf-server, started by AsyncExecutor when no daemon is named."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

_PREFIX = "agdf-server listening on "


def find_server_binary() -> str:
    """``AGDF_SERVER_BIN``, else ``agdf-server`` on PATH, else the one built next to this
    package in the build tree (build/server/agdf-server)."""
    explicit = os.environ.get("AGDF_SERVER_BIN")
    if explicit:
        return explicit
    found = shutil.which("agdf-server")
    if found:
        return found
    built = Path(__file__).resolve().parents[3] / "server" / "agdf-server"
    if built.is_file() and os.access(built, os.X_OK):
        return str(built)
    raise FileNotFoundError(
        "no agdf daemon to run on: pass server=..., set AGDF_SERVER, or put agdf-server on PATH"
    )


class PrivateServer:
    """An agdf-server on a free loopback port, for as long as the object is open."""

    def __init__(self, binary: str | None = None, timeout: float = 30.0):
        self._dir = tempfile.TemporaryDirectory(prefix="agdf-")
        self._process = subprocess.Popen(
            [binary or find_server_binary(), "serve", "--listen", "127.0.0.1:0",
             "--data-dir", self._dir.name, "--log-level", "warn", "--grace-period", "0",
             "--no-store"],  # nothing of a private daemon outlives it
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True,
        )
        self.address = self._read_address(timeout)

    def _read_address(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        line = ""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self._process.stdout], [], [], 0.1)
            if ready:
                line = self._process.stdout.readline()
                if line.startswith(_PREFIX):
                    return line[len(_PREFIX):].strip()
                if not line:
                    break
            if self._process.poll() is not None:
                break
        self.close()
        raise RuntimeError(f"the private agdf-server did not start (it said {line.strip()!r})")

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._process.stdout:
            self._process.stdout.close()
        self._dir.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
