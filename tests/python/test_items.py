"""Items on the wire and function signatures: pure Python, no daemon."""

import enum
import math
import unittest

from agdf import items
from agdf.signature import Binder, declare


class Items(unittest.TestCase):
    def round_trip(self, value):
        back = items.decode(items.encode(value))
        self.assertEqual(back, value)
        return back

    def test_tuples_stay_tuples_and_lists_stay_lists(self):
        back = self.round_trip((1, [2, (3, "x")], {"k": (None, True)}))
        self.assertIsInstance(back, tuple)
        self.assertIsInstance(back[1], list)
        self.assertIsInstance(back[1][1], tuple)
        self.assertIsInstance(back[2]["k"], tuple)
        self.assertEqual(items.encode((1, 2)), '{"$tuple":[1,2]}')
        self.assertEqual(items.encode([1, 2]), "[1,2]")

    def test_json_values_round_trip(self):
        for value in (None, True, False, 0, -2**63, 2**64 - 1, 1.5, "é\"\n", [], {}, {"a": [1, {}]}):
            self.round_trip(value)

    def test_what_json_cannot_carry_is_refused_naming_where_and_the_type(self):
        import datetime
        cases = {
            "a datetime.datetime is not a JSON value": datetime.datetime(2024, 1, 1),
            "a bytes is not a JSON value": b"x",
            "a set is not a JSON value": {1},
            "a dict key 1 (int) is not a string": {1: "a"},
            "is not a JSON number": math.nan,
            "does not fit in 64 bits": 2**64,
        }
        for text, value in cases.items():
            with self.subTest(text=text):
                with self.assertRaises(items.ItemError) as refused:
                    items.encode([value], "node 'n' yielded")
                self.assertTrue(str(refused.exception).startswith("node 'n' yielded: "))
                self.assertIn(text, str(refused.exception))

    def test_subclasses_travel_as_their_base_type(self):
        class Colour(enum.IntEnum):
            RED = 1

        class Name(str):
            pass

        self.assertEqual(items.encode([Colour.RED, Name("n")]), '[1,"n"]')


class Signatures(unittest.TestCase):
    def test_json_defaults_are_declared_and_others_kept(self):
        async def f(a, b=1, c=(1, "x"), d=None, e=[], *, k="kw"):  # noqa: B006
            yield

        params = {p.name: p for p in declare(f)}
        self.assertEqual(params["b"].default_json, "1")
        self.assertEqual(params["c"].default_json, '{"$tuple":[1,"x"]}')
        self.assertEqual(params["d"].default_json, "null")
        self.assertIsNone(params["e"].default_json)  # mutable: Python applies it
        self.assertEqual(params["e"].default_repr, "[]")
        self.assertTrue(params["k"].keyword_only)
        self.assertFalse(params["a"].has_default)

    def test_variadic_parameters_cannot_be_declared(self):
        async def f(*args):
            yield

        with self.assertRaisesRegex(TypeError, "cannot take \\*args or \\*\\*kwargs"):
            declare(f)

    def test_the_binder_leaves_kept_defaults_to_python(self):
        calls = []

        def f(a, b=None, c=[], *, k="kw"):  # noqa: B006
            calls.append((a, b, c, k))

        binder = Binder(f, declare(f))
        binder.call([1, 2, None, "K"], defaulted=(2,))
        binder.call([1, None, [9], "kw"], defaulted=())
        self.assertEqual(calls, [(1, 2, [], "K"), (1, None, [9], "kw")])


if __name__ == "__main__":
    unittest.main()
