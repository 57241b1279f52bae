"""Malformed or hostile worker messages: the daemon answers the worker with a clear error
and goes on serving everyone else; nothing crashes or wedges it."""

import queue
import threading
import unittest

import grpc

from agdf.v1 import worker_pb2 as pb
from agdf.v1 import worker_pb2_grpc as pb_grpc
from harness import DaemonTest, graph, node, wait_until


class RawWorker:
    """A worker written against the bare protocol, which can send anything."""

    def __init__(self, address):
        self.channel = grpc.insecure_channel(address)
        self.outbox = queue.Queue()
        self.inbox = queue.Queue()
        self.status = None

        def requests():
            while True:
                message = self.outbox.get()
                if message is None:
                    return
                yield message

        self.call = pb_grpc.AgdfWorkersStub(self.channel).Connect(requests())
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            for message in self.call:
                self.inbox.put(message)
        except grpc.RpcError as e:
            self.status = (e.code(), e.details())
        self.inbox.put(None)

    def send(self, message):
        self.outbox.put(message)

    def receive(self, timeout=30):
        return self.inbox.get(timeout=timeout)

    def register(self, *functions, name="raw"):
        self.send(pb.WorkerMessage(register=pb.Register(worker_name=name, functions=list(functions))))
        return self.receive()

    def ended(self):
        """The rest of what the daemon sent, and how the stream ended."""
        rest = []
        while (message := self.receive()) is not None:
            rest.append(message)
        return rest, self.status

    def close(self):
        self.outbox.put(None)
        self.channel.close()


def function(name, *params, concurrency=0):
    return pb.WorkerFunction(name=name, concurrency=concurrency,
                             params=[pb.WorkerParam(name=p) for p in params])


class Protocol(DaemonTest):
    daemon_flags = ("--worker-wait-ms", "300")

    def raw(self):
        w = RawWorker(self.daemon.address)
        self.addCleanup(w.close)
        return w

    def assert_daemon_serves(self):
        self.assertIn("echo", self.daemon.functions())

    def assert_protocol_error(self, w, first, text):
        self.assertEqual(first.WhichOneof("kind"), "error")
        self.assertIn(text, first.error.message)
        _, status = w.ended()
        self.assertEqual(status[0], grpc.StatusCode.INVALID_ARGUMENT)
        self.assert_daemon_serves()

    def test_results_before_register_are_a_protocol_error(self):
        w = self.raw()
        w.send(pb.WorkerMessage(results=pb.Results(outputs=[pb.CallOutput(call_id=1, done=True)])))
        self.assert_protocol_error(w, w.receive(), "results came before register")

    def test_an_empty_message_is_a_protocol_error(self):
        w = self.raw()
        w.send(pb.WorkerMessage())
        self.assert_protocol_error(w, w.receive(), "a message with no kind set")

    def test_register_twice_is_a_protocol_error(self):
        w = self.raw()
        self.assertEqual(w.register(function("raw_once", "x")).WhichOneof("kind"), "registered")
        self.assert_protocol_error(w, w.register(function("raw_once", "x")), "register was sent twice")

    def test_bad_registrations_are_refused_with_the_reason(self):
        bad = {
            "the worker registers no functions": [],
            "a function has an empty name": [function("")],
            "contains a space or control character": [function("two words")],
            "parameter 'x' is declared twice": [function("dup", "x", "x")],
            "is registered twice by this worker": [function("twice"), function("twice")],
            "concurrency is over": [function("greedy", concurrency=10**9)],
            "is not valid JSON": [pb.WorkerFunction(name="bad_default", params=[
                pb.WorkerParam(name="x", has_default=True, default_json="{nope")])],
            "has default_json but has_default is false": [pb.WorkerFunction(name="half", params=[
                pb.WorkerParam(name="x", default_json="1")])],
            "the description is longer than": [pb.WorkerFunction(name="long", description="d" * 100_000)],
        }
        for reason, functions in bad.items():
            with self.subTest(reason=reason):
                w = self.raw()
                answer = w.register(*functions)
                self.assertEqual(answer.WhichOneof("kind"), "refused")
                self.assertIn(reason, answer.refused.reason)
                _, status = w.ended()
                self.assertEqual(status[0], grpc.StatusCode.FAILED_PRECONDITION)
        self.assert_daemon_serves()
        for name in ("dup", "twice", "greedy", "bad_default", "half", "long"):
            self.assertNotIn(name, self.daemon.functions())

    def test_an_item_that_is_not_json_fails_its_call_and_nothing_else(self):
        w = self.raw()
        self.assertEqual(w.register(function("raw_items", "x")).WhichOneof("kind"), "registered")
        g = graph([node("source", "range", config={"stop": 2}), node("raw_items")],
                  [("source", "raw_items")])
        # Not JSON, and JSON nested far deeper than the daemon reads (it must not recurse).
        bad = ["{not json", "[" * 200_000 + "]" * 200_000]
        with self.daemon.client() as c:
            run_id = c.submit(g)
            calls = []
            while len(calls) < 2:
                work = w.receive().work
                calls += zip(work.call_ids, work.args_json, work.functions)
            self.assertEqual([(args, f) for _, args, f in calls],
                             [("[0]", "raw_items"), ("[1]", "raw_items")])
            for (call_id, _, _), item in zip(calls, bad):
                w.send(pb.WorkerMessage(results=pb.Results(outputs=[
                    pb.CallOutput(call_id=call_id, items_json=[item], done=True)])))
            final = [e for e in c.watch(run_id) if e["type"] == "finished"][0]
        errors = final["exceptions"]["raw_items"]
        self.assertEqual([e["type"] for e in errors], ["ProtocolError"] * 2)
        self.assertTrue(errors[0]["message"].startswith(
            "worker 'raw' sent an item that is not JSON: line 1, column 3: syntax error"), errors)
        self.assertIn("nested deeper than", errors[1]["message"])
        self.assert_daemon_serves()

    def test_yields_beyond_the_window_are_a_protocol_error(self):
        w = self.raw()
        self.assertEqual(w.register(function("raw_flood", "x")).WhichOneof("kind"), "registered")
        g = graph([node("source", "range", config={"stop": 1}), node("raw_flood")],
                  [("source", "raw_flood")])
        with self.daemon.client() as c:
            run_id = c.submit(g)
            work = w.receive().work
            w.send(pb.WorkerMessage(results=pb.Results(outputs=[
                pb.CallOutput(call_id=work.call_ids[0], items_json=["1"] * (work.window + 1))])))
            rest, status = w.ended()
            self.assertTrue(any(m.WhichOneof("kind") == "error" and "window" in m.error.message
                                for m in rest))
            self.assertEqual(status[0], grpc.StatusCode.INVALID_ARGUMENT)
            # The call waits for another worker, then fails naming why.
            final = [e for e in c.watch(run_id) if e["type"] == "finished"][0]
        self.assertEqual(final["exceptions"]["raw_flood"][0]["type"], "WorkerUnavailable")
        self.assertIn("protocol error", final["exceptions"]["raw_flood"][0]["message"])

    def test_columns_that_do_not_add_up_are_a_protocol_error(self):
        for results, text in [
            (pb.Results(call_ids=[1, 2], item_counts=[1], ended=[True, True], items_json=["1"]),
             "differ in length"),
            (pb.Results(call_ids=[1], item_counts=[3], ended=[True], items_json=["1"]),
             "do not add up"),
        ]:
            with self.subTest(text=text):
                w = self.raw()
                self.assertEqual(w.register(function(f"raw_columns_{len(text)}", "x"))
                                 .WhichOneof("kind"), "registered")
                w.send(pb.WorkerMessage(results=results))
                self.assert_protocol_error(w, w.receive(), text)

    def test_outputs_for_unknown_calls_are_ignored(self):
        w = self.raw()
        self.assertEqual(w.register(function("raw_ignored", "x")).WhichOneof("kind"), "registered")
        w.send(pb.WorkerMessage(results=pb.Results(outputs=[
            pb.CallOutput(call_id=12345, items_json=["1"], done=True),
            pb.CallOutput(call_id=0, error=pb.CallError(type="X", message="y"), done=True)])))
        w.send(pb.WorkerMessage(heartbeat=pb.Heartbeat()))
        wait_until(lambda: self.daemon.functions()["raw_ignored"]["workers"] == ["raw"],
                   what="the worker to stay registered")

    def test_many_connections_dropped_at_once_leave_the_daemon_serving(self):
        for i in range(50):
            w = RawWorker(self.daemon.address)
            if i % 2:
                w.register(function(f"raw_drop_{i}", "x"))
            w.close()
        self.assert_daemon_serves()
        wait_until(lambda: all(not f.get("workers") for name, f in self.daemon.functions().items()
                               if name.startswith("raw_drop_")), what="the dropped workers to go")


if __name__ == "__main__":
    unittest.main()
