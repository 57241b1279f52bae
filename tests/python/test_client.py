"""The Python client: submit a dict or a graph file, watch as blocking and async
iterators (resuming after a broken stream), get, list, cancel, submit-and-watch in one
call. TLS and tokens: test_auth."""

import asyncio
import unittest

import grpc

import agdf
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


# ---- SubmitAndWatch: one call submits and follows the run ---------------------------


class SubmitAndWatch(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.daemon = Daemon()

    @classmethod
    def tearDownClass(cls):
        cls.daemon.close()

    def check(self, events, n):
        self.assertEqual(events[0]["type"], "accepted")
        self.assertEqual(events[0]["seq"], 0)
        self.assertEqual({e["run_id"] for e in events}, {events[0]["run_id"]})
        self.assertEqual([e["seq"] for e in events], list(range(len(events))))
        self.assertEqual(events[-1]["type"], "finished")
        self.assertEqual(events[-1]["stats"]["sink"]["in"], n)

    def test_blocking_and_async_each_see_every_event_once(self):
        with agdf.Client(self.daemon.address) as c:
            self.check(list(c.submit_and_watch(slow_graph(5, 1))), 5)
            self.assertEqual(c.run(slow_graph(3, 1))["state"], "completed")

        async def go():
            async with agdf.AsyncClient(self.daemon.address) as c:
                return [e async for e in c.submit_and_watch(slow_graph(5, 1))]

        self.check(asyncio.run(go()), 5)

    def test_a_broken_stream_is_resumed_with_watch(self):
        proxy = TcpProxy(self.daemon.port)
        self.addCleanup(proxy.close)
        with agdf.Client(proxy.address) as c:
            events = []
            for event in c.submit_and_watch(slow_graph(), stats_interval_ms=20):
                events.append(event)
                if len(events) == 3:
                    proxy.cut()
        self.check(events, 20)

    def test_a_refused_submission_raises(self):
        with agdf.Client(self.daemon.address) as c:
            with self.assertRaises(agdf.RunFailed) as refused:
                list(c.submit_and_watch(graph([node("a", "no_such_function")])))
        self.assertEqual(refused.exception.code, grpc.StatusCode.INVALID_ARGUMENT)
        self.assertIn("no_such_function", refused.exception.details)


if __name__ == "__main__":
    unittest.main()
