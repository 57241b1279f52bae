"""The Python client: submit a dict or a graph file, watch as blocking and async
iterators (resuming after a broken stream), get, list, cancel; TLS and token settings."""

import asyncio
import os
import subprocess
import tempfile
import threading
import unittest
from concurrent import futures
from pathlib import Path

import grpc

import agdf
from agdf.v1 import agdf_pb2, agdf_pb2_grpc, worker_pb2, worker_pb2_grpc
from harness import EXAMPLES, Daemon, graph, node, wait_until
from tcp_proxy import TcpProxy

THREE_NODES = EXAMPLES / "three_nodes.json"


def slow_graph(n=20, delay_ms=30):
    return graph([node("source", "values", config={"values": list(range(n)), "delay_ms": delay_ms}),
                  node("sink", "discard")], [("source", "sink")])


class Client(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.daemon = Daemon()

    @classmethod
    def tearDownClass(cls):
        cls.daemon.close()

    def test_submit_a_graph_file_and_watch_it_blocking(self):
        with agdf.Client(self.daemon.address) as c:
            run_id = c.submit(str(THREE_NODES), labels={"suite": "client"})
            events = list(c.watch(run_id))
        self.assertEqual(events[0]["type"], "started")
        self.assertEqual(events[-1]["type"], "finished")
        self.assertEqual([e["seq"] for e in events], list(range(1, len(events) + 1)))
        self.assertEqual(events[-1]["stats"]["load"]["out"], 2)

    def test_submit_a_dict_and_watch_it_async(self):
        async def go():
            async with agdf.AsyncClient(self.daemon.address) as c:
                run_id = await c.submit(graph([node("a", "values", config={"values": [(1, 2), [3]]})]),
                                        capture=["a"])
                return [e async for e in c.watch(run_id)]

        events = asyncio.run(go())
        outputs = [e["item"] for e in events if e["type"] == "output"]
        self.assertEqual(outputs, [(1, 2), [3]])

    def test_get_list_and_cancel(self):
        with agdf.Client(self.daemon.address) as c:
            run_id = c.submit(slow_graph(1000, 50), labels={"suite": "cancel-me"})
            self.assertEqual(c.get(run_id)["state"], "running")
            listed = c.list(labels={"suite": "cancel-me"})
            self.assertEqual([r["run_id"] for r in listed], [run_id])
            self.assertEqual(c.cancel(run_id), "cancelled")
            self.assertEqual(c.get(run_id)["state"], "cancelled")
            self.assertEqual(c.list(state="cancelled", labels={"suite": "cancel-me"})[0]["run_id"], run_id)
            with self.assertRaises(agdf.RunFailed) as unknown:
                c.get("no-such-run")
            self.assertEqual(unknown.exception.code, grpc.StatusCode.NOT_FOUND)

    def test_validate_lists_every_problem(self):
        with agdf.Client(self.daemon.address) as c:
            problems = c.validate(graph([node("a", "nope"), node("a", "echo")], [("a", "b")]))
        self.assertEqual(len(problems), 3)

    def test_watch_resumes_after_a_broken_stream(self):
        proxy = TcpProxy(self.daemon.port)
        self.addCleanup(proxy.close)
        for kind in ("blocking", "async"):
            with self.subTest(kind=kind):
                events = self._watch_through(proxy, kind)
                self.assertEqual([e["seq"] for e in events], list(range(1, len(events) + 1)))
                self.assertEqual(events[-1]["type"], "finished")

    def _watch_through(self, proxy, kind):
        with agdf.Client(self.daemon.address) as direct:
            run_id = direct.submit(slow_graph(), stats_interval_ms=20)
        cut_at = 3
        if kind == "blocking":
            events = []
            with agdf.Client(proxy.address) as c:
                for event in c.watch(run_id):
                    events.append(event)
                    if len(events) == cut_at:
                        proxy.cut()
            return events

        async def go():
            out = []
            async with agdf.AsyncClient(proxy.address) as c:
                async for event in c.watch(run_id):
                    out.append(event)
                    if len(out) == cut_at:
                        proxy.cut()
            return out

        return asyncio.run(go())


# ---- TLS and token: a TLS gRPC server on loopback that records what it received --------


class Recorder(agdf_pb2_grpc.AgdfServicer, worker_pb2_grpc.AgdfWorkersServicer):
    def __init__(self):
        self.metadata = []

    def ListFunctions(self, request, context):
        self.metadata.append(dict(context.invocation_metadata()))
        return agdf_pb2.ListFunctionsResponse()

    def Connect(self, request_iterator, context):
        self.metadata.append(dict(context.invocation_metadata()))
        next(request_iterator)
        yield worker_pb2.DaemonMessage(refused=worker_pb2.Refused(reason="seen"))


class TlsAndToken(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="agdf-tls-")
        cls.cert, key = Path(cls.dir) / "cert.pem", Path(cls.dir) / "key.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=agdf.test", "-addext", "subjectAltName=DNS:agdf.test",
                        "-keyout", str(key), "-out", str(cls.cert)],
                       check=True, capture_output=True)
        cls.recorder = Recorder()
        cls.server = grpc.server(futures.ThreadPoolExecutor(4))
        agdf_pb2_grpc.add_AgdfServicer_to_server(cls.recorder, cls.server)
        worker_pb2_grpc.add_AgdfWorkersServicer_to_server(cls.recorder, cls.server)
        credentials = grpc.ssl_server_credentials([(key.read_bytes(), cls.cert.read_bytes())])
        cls.port = cls.server.add_secure_port("127.0.0.1:0", credentials)
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop(0)

    def test_the_client_talks_tls_and_sends_its_token(self):
        with agdf.Client(f"127.0.0.1:{self.port}", tls_ca=str(self.cert),
                         tls_server_name="agdf.test", token="s3cret") as c:
            self.assertEqual(c.functions(), [])
        self.assertEqual(self.recorder.metadata[-1]["authorization"], "Bearer s3cret")

    def test_the_worker_takes_the_settings_from_the_environment(self):
        env = {"AGDF_SERVER": f"127.0.0.1:{self.port}", "AGDF_TLS_CA": str(self.cert),
               "AGDF_TLS_SERVER_NAME": "agdf.test", "AGDF_TOKEN": "from-env"}
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            worker = agdf.Worker("tls", reconnect=False)

            @worker.function
            async def f(x):
                yield x

            with self.assertRaisesRegex(agdf.WorkerRefused, "seen"):
                asyncio.run(worker.serve())
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        self.assertEqual(self.recorder.metadata[-1]["authorization"], "Bearer from-env")


if __name__ == "__main__":
    unittest.main()
