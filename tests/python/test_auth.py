"""Workers and clients on a secured daemon (issue 13's tokens and TLS): AgdfWorkers.Connect
needs a token whose role has the right register_functions (worker or admin); the Python
worker, client and reference API send the token and speak TLS from their keywords or the
AGDF_* variables. Real daemons with real token files (`agdf-server token add`) and
certificates made by the openssl command."""

import asyncio
import os
import subprocess
import tempfile
import unittest
from pathlib import Path

import grpc

import agdf
from harness import HERE, PYTHON, SERVER_BIN, Daemon, WorkerProcess, child_env, graph, node, wait_until

FUNCTIONS = HERE / "workers" / "functions.py"
DOUBLE_GRAPH = graph([node("n", "numbers"), node("double")], [("n", "double")],
                     start_nodes={"n": [4]})


def add_token(tokens, name, role):
    done = subprocess.run([SERVER_BIN, "token", "add", name, "--role", role, "--tokens", str(tokens)],
                          capture_output=True, text=True, env=child_env(), check=True)
    return done.stdout.strip()


def token_file(directory, roles=("worker", "reader", "submitter", "admin")):
    """A token file with one principal per role, named after it; the tokens by role."""
    path = Path(directory) / "tokens.jsonl"
    return path, {role: add_token(path, role, role) for role in roles}


def openssl(*args):
    subprocess.run(["/usr/bin/openssl", *args], check=True, capture_output=True)


def make_pki(directory):
    """A CA, a server certificate for localhost and 127.0.0.1, a client certificate."""
    d = Path(directory)
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", d / "ca.key", "-out", d / "ca.crt", "-days", "2", "-subj", "/CN=agdf test ca")
    for leaf, usage in (("server", "serverAuth"), ("client", "clientAuth")):
        (d / f"{leaf}.ext").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                                       f"extendedKeyUsage={usage}\nbasicConstraints=CA:FALSE\n")
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", d / f"{leaf}.key", "-out", d / f"{leaf}.csr", "-subj", f"/CN=agdf {leaf}")
        openssl("x509", "-req", "-in", d / f"{leaf}.csr", "-CA", d / "ca.crt", "-CAkey", d / "ca.key",
                "-CAcreateserial", "-out", d / f"{leaf}.crt", "-days", "2", "-extfile", d / f"{leaf}.ext")
    return d


def served_by(daemon, function):
    return daemon.functions().get(function, {}).get("workers", [])


def exited(worker):
    return worker.process.poll() is not None


class WorkerTokens(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory(prefix="agdf-tokens-")
        cls.tokens_path, cls.tokens = token_file(cls.dir.name)
        cls.daemon = Daemon("--tokens", str(cls.tokens_path),
                            client_options={"token": cls.tokens["admin"]})

    @classmethod
    def tearDownClass(cls):
        cls.daemon.close()
        cls.dir.cleanup()

    def worker(self, name, **env):
        w = WorkerProcess(self.daemon.address, name=name, **env)
        self.addCleanup(w.stop)
        return w

    def test_a_worker_with_a_worker_token_serves_a_submitters_run(self):
        self.worker("tokened", AGDF_TOKEN=self.tokens["worker"])
        self.daemon.wait_for_function("double", ["tokened"])
        with agdf.Client(self.daemon.address, token=self.tokens["submitter"]) as c:
            finished = c.run(DOUBLE_GRAPH)
        self.assertEqual(finished["state"], "completed")
        self.assertEqual(finished["stats"]["double"]["out"], 4)

    def test_the_worker_token_can_come_from_a_file(self):
        path = Path(self.dir.name) / "worker.token"
        path.write_text(self.tokens["worker"] + "\n")
        self.worker("from-file", AGDF_TOKEN_FILE=str(path))
        self.daemon.wait_for_function("double", ["from-file"])

    def test_a_worker_without_a_token_or_the_right_is_refused_and_exits(self):
        cases = {
            "none": ({}, "UNAUTHENTICATED: no token"),
            "unknown": ({"AGDF_TOKEN": "agdf_000000000000_" + "a" * 64}, "UNAUTHENTICATED: unknown token"),
            "reader": ({"AGDF_TOKEN": self.tokens["reader"]},
                       "PERMISSION_DENIED: principal 'reader' (role reader) lacks the right "
                       "'register_functions' that AgdfWorkers.Connect needs"),
            "submitter": ({"AGDF_TOKEN": self.tokens["submitter"]},
                          "PERMISSION_DENIED: principal 'submitter' (role submitter) lacks the "
                          "right 'register_functions'"),
        }
        for case, (env, reason) in cases.items():
            with self.subTest(case=case):
                w = self.worker(f"refused-{case}", **env)
                wait_until(lambda: exited(w), what="the refused worker to exit")
                self.assertNotEqual(w.process.returncode, 0)
                self.assertIn("refused the worker: " + reason, w.output())
                self.assertNotIn(f"refused-{case}", served_by(self.daemon, "double"))
        log = self.daemon.log()
        self.assertIn('msg="call refused" rpc=AgdfWorkers.Connect', log)
        self.assertNotIn(self.tokens["reader"], log)

    def test_a_client_without_a_token_is_refused(self):
        with agdf.Client(self.daemon.address) as c:
            with self.assertRaises(agdf.RunFailed) as refused:
                c.run(DOUBLE_GRAPH)
        self.assertEqual(refused.exception.code, grpc.StatusCode.UNAUTHENTICATED)

    def test_the_reference_api_needs_a_token_that_registers_and_submits(self):
        async def source():
            for i in range(3):
                yield i

        async def sink(x):
            yield x

        g = agdf.AsyncGraph()
        g.add_node(source)
        g.add_node(sink)
        g.add_edge(source, sink)
        executor = agdf.AsyncExecutor(g, server=self.daemon.address, token=self.tokens["admin"])
        executor.execute()
        self.assertEqual(executor.data_flow_stats["sink"], {"in": 3, "out": 3, "err": 0})

        refused = agdf.AsyncExecutor(g, server=self.daemon.address, token=self.tokens["submitter"])
        with self.assertRaisesRegex(agdf.WorkerRefused, "register_functions"):
            refused.execute()


class WorkersOverTls(unittest.TestCase):
    """A daemon serving TLS with tokens; its CA trusted through keywords or variables."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory(prefix="agdf-tls-")
        cls.pki = make_pki(cls.dir.name)
        cls.tokens_path, cls.tokens = token_file(cls.dir.name)
        cls.tls_flags = ("--tokens", str(cls.tokens_path), "--tls-cert", str(cls.pki / "server.crt"),
                         "--tls-key", str(cls.pki / "server.key"))
        cls.client_options = {"tls_ca": str(cls.pki / "ca.crt"), "token": cls.tokens["admin"]}
        cls.daemon = Daemon(*cls.tls_flags, client_options=cls.client_options)

    @classmethod
    def tearDownClass(cls):
        cls.daemon.close()
        cls.dir.cleanup()

    def test_a_worker_configured_by_variables_serves_a_run_over_tls(self):
        w = WorkerProcess(self.daemon.address, name="tls-worker",
                          AGDF_TLS_CA=str(self.pki / "ca.crt"), AGDF_TLS_SERVER_NAME="localhost",
                          AGDF_TOKEN=self.tokens["worker"])
        self.addCleanup(w.stop)
        self.daemon.wait_for_function("double", ["tls-worker"])
        with agdf.Client(self.daemon.address, tls_ca=str(self.pki / "ca.crt"),
                         tls_server_name="localhost", token=self.tokens["submitter"]) as c:
            outputs = [e["item"] for e in c.submit_and_watch(DOUBLE_GRAPH, capture=["double"]) if e["type"] == "output"]
        self.assertEqual(sorted(outputs), [0, 2, 4, 6])

    def test_a_plain_text_worker_cannot_reach_a_tls_daemon(self):
        worker = agdf.Worker("plain", server=self.daemon.address, token=self.tokens["worker"],
                             reconnect=False)

        @worker.function
        async def f(x):
            yield x

        with self.assertRaises(grpc.aio.AioRpcError) as failed:
            asyncio.run(worker.serve())
        self.assertEqual(failed.exception.code(), grpc.StatusCode.UNAVAILABLE)

    def test_workers_the_daemon_starts_inherit_its_tls_and_token_variables(self):
        daemon = Daemon(*self.tls_flags, "--worker", f"WORKER_NAME=started {PYTHON} {FUNCTIONS}",
                        env={"AGDF_TLS_CA": str(self.pki / "ca.crt"),
                             "AGDF_TOKEN": self.tokens["worker"]},
                        client_options=self.client_options)
        self.addCleanup(daemon.close)
        daemon.wait_for_function("double", ["started"])
        with daemon.client() as c:
            self.assertEqual(c.run(DOUBLE_GRAPH)["stats"]["double"]["out"], 4)

    def test_mutual_tls_takes_the_client_certificate_from_keywords_or_variables(self):
        daemon = Daemon(*self.tls_flags, "--tls-client-ca", str(self.pki / "ca.crt"),
                        client_options={**self.client_options,
                                        "tls_client_cert": str(self.pki / "client.crt"),
                                        "tls_client_key": str(self.pki / "client.key")})
        self.addCleanup(daemon.close)
        w = WorkerProcess(daemon.address, name="mtls",
                          AGDF_TLS_CA=str(self.pki / "ca.crt"), AGDF_TOKEN=self.tokens["worker"],
                          AGDF_TLS_CLIENT_CERT=str(self.pki / "client.crt"),
                          AGDF_TLS_CLIENT_KEY=str(self.pki / "client.key"))
        self.addCleanup(w.stop)
        daemon.wait_for_function("double", ["mtls"])
        with daemon.client() as c:
            self.assertEqual(c.run(DOUBLE_GRAPH)["stats"]["double"]["out"], 4)
        with agdf.Client(daemon.address, **self.client_options) as c:  # no client certificate
            with self.assertRaises(agdf.RunFailed) as refused:
                c.functions()
        self.assertEqual(refused.exception.code, grpc.StatusCode.UNAVAILABLE)


class Settings(unittest.TestCase):
    def test_arguments_win_over_variables_and_bad_settings_are_named(self):
        saved = dict(os.environ)
        self.addCleanup(lambda: (os.environ.clear(), os.environ.update(saved)))
        os.environ.update({"AGDF_SERVER": "h:1", "AGDF_TOKEN": "env-token", "AGDF_TLS": "yes"})
        s = agdf.Settings.resolve("h:2", token="arg-token")
        self.assertEqual((s.server, s.token, s.uses_tls), ("h:2", "arg-token", True))
        self.assertEqual(s.metadata, (("authorization", "Bearer arg-token"),))
        with self.assertRaisesRegex(agdf.SettingsError, "go together"):
            agdf.Settings.resolve(tls_client_cert="c.pem")
        with self.assertRaisesRegex(agdf.SettingsError, "cannot read the token file /nonexistent"):
            agdf.Settings.resolve(token_file="/nonexistent")


if __name__ == "__main__":
    unittest.main()
