"""Workers on a daemon with tokens: AgdfWorkers.Connect needs a token whose role has the
right register_functions (worker or admin); the Python worker sends AGDF_TOKEN."""

import subprocess
import tempfile
import unittest
from pathlib import Path

from harness import SERVER_BIN, Daemon, WorkerProcess, child_env, wait_until


def add_token(tokens, name, role):
    done = subprocess.run([SERVER_BIN, "token", "add", name, "--role", role, "--tokens", str(tokens)],
                          capture_output=True, text=True, env=child_env(), check=True)
    return done.stdout.strip()


class WorkerTokens(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tokens = Path(tempfile.mkdtemp(prefix="agdf-tokens-")) / "tokens.jsonl"
        cls.worker_token = add_token(cls.tokens, "w", "worker")
        cls.reader_token = add_token(cls.tokens, "r", "reader")
        cls.admin_token = add_token(cls.tokens, "a", "admin")
        cls.daemon = Daemon("--tokens", str(cls.tokens))

    @classmethod
    def tearDownClass(cls):
        cls.daemon.close()

    def functions(self):
        import agdf
        with agdf.Client(self.daemon.address, token=self.admin_token) as c:
            return {f["name"]: f for f in c.functions()}

    def test_a_worker_with_a_worker_token_registers(self):
        w = WorkerProcess(self.daemon.address, name="tokened", AGDF_TOKEN=self.worker_token)
        self.addCleanup(w.stop)
        wait_until(lambda: self.functions().get("double", {}).get("workers") == ["tokened"],
                   what="the worker to register")

    def test_a_worker_without_a_token_or_the_right_is_refused(self):
        for token, reason in ((None, "no token"), (self.reader_token, "lacks the right 'register_functions'")):
            with self.subTest(reason=reason):
                env = {"AGDF_TOKEN": token} if token else {}
                w = WorkerProcess(self.daemon.address, name="untokened", **env)
                self.addCleanup(w.stop)
                wait_until(lambda: reason in w.output(), what=f"the worker to log {reason!r}")
                self.assertNotIn("double", {n for n, f in self.functions().items() if f.get("workers")})
        self.assertIn('msg="call refused" rpc=AgdfWorkers.Connect', self.daemon.log())


if __name__ == "__main__":
    unittest.main()
