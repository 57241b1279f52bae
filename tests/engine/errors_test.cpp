// Errors: an error ends its call (later yields never happen), is counted and recorded
// per node (most recent max_exceptions), and halts the run only when asked to.
#include <gtest/gtest.h>

#include "engine/run_harness.hpp"
#include "engine/test_functions.hpp"

namespace agdf::test {
namespace {

using engine::NodeStats;
using engine::RunStatus;

TEST(Errors, AnErrorEndsTheCallAndTheRunGoesOn) {
  Registry registry = builtin_registry();
  registry.add(emit_then_throw("boom"));

  auto run =
      run_graph(R"({"nodes": [{"name": "src", "function": "values", "config": {"values": [1, 2]}},
      {"name": "mid", "function": "boom"}, {"name": "sink", "function": "echo"}],
      "edges": [["src", "mid"], ["mid", "sink"]]})",
                registry);

  EXPECT_EQ(run.status(), RunStatus::completed);
  EXPECT_EQ(run.stats("mid"),
            (NodeStats{.in = 2, .out = 2, .err = 2}));  // "unreachable" never yielded
  EXPECT_EQ(run.stats("sink"), (NodeStats{.in = 2, .out = 2, .err = 0}));
  ASSERT_EQ(run.node("mid").errors.size(), 2u);
  EXPECT_EQ(run.node("mid").errors[0].type, "ValueError");
  EXPECT_EQ(run.node("mid").errors[0].message, "failed after 1");
  EXPECT_EQ(run.node("mid").errors[1].message, "failed after 2");
}

TEST(Errors, AnyExceptionIsRecordedUnderItsTypeName) {
  Registry registry = builtin_registry();
  registry.add(throw_std("bad"));

  auto run =
      run_graph(R"({"nodes": [{"name": "src", "function": "values", "config": {"values": [7]}},
      {"name": "b", "function": "bad"}], "edges": [["src", "b"]]})",
                registry);

  ASSERT_EQ(run.node("b").errors.size(), 1u);
  EXPECT_EQ(run.node("b").errors[0].type, "std::out_of_range");
  EXPECT_EQ(run.node("b").errors[0].message, "out of range: 7");
}

TEST(Errors, RecordsKeepTheMostRecentMaxExceptionsOldestFirst) {
  auto run = run_graph(R"({"nodes": [{"name": "src", "function": "range", "config": {"stop": 10}},
      {"name": "f", "function": "fail_if", "config": {"values": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]}}],
      "edges": [["src", "f"]], "max_exceptions": 3})");

  EXPECT_EQ(run.stats("f"), (NodeStats{.in = 10, .out = 0, .err = 10}));
  std::vector<std::string> kept;
  for (const auto& e : run.node("f").errors) kept.push_back(e.message);
  EXPECT_EQ(kept, (std::vector<std::string>{"intentional error for 7", "intentional error for 8",
                                            "intentional error for 9"}));
  EXPECT_EQ(run.errors.size(), 10u);  // the observer heard of every one
}

TEST(Errors, DefaultMaxExceptionsIsAThousand) {
  auto run = run_graph(R"({"nodes": [{"name": "src", "function": "range", "config": {"stop": 1005}},
      {"name": "f", "function": "title_case"}], "edges": [["src", "f"]]})");

  EXPECT_EQ(run.stats("f").err, 1005u);
  ASSERT_EQ(run.node("f").errors.size(), 1000u);
  EXPECT_EQ(run.node("f").errors.front().message, "title_case() needs a string, got 5");
  EXPECT_EQ(run.node("f").errors.back().message, "title_case() needs a string, got 1004");
}

TEST(Errors, EveryNodeHasAnEntryEmptyWhenItHadNoError) {
  auto run =
      run_graph(R"({"nodes": [{"name": "a", "function": "values", "config": {"values": ["x"]}},
      {"name": "b", "function": "fail_if", "config": {"values": ["x"]}},
      {"name": "c", "function": "echo"}], "edges": [["a", "b"], ["b", "c"]]})");

  ASSERT_EQ(run.result->nodes.size(), 3u);
  EXPECT_TRUE(run.node("a").errors.empty());
  EXPECT_EQ(run.node("b").errors.size(), 1u);
  EXPECT_TRUE(run.node("c").errors.empty());
  EXPECT_EQ(run.node("b").errors[0].message, "intentional error for x");
}

TEST(Halting, GraphWideHaltStopsAtTheFirstErrorInAnyNode) {
  auto run = run_graph(R"({"nodes": [
      {"name": "extract", "function": "values",
       "config": {"values": ["hello", "world", "civis", "analytics", "done"]}},
      {"name": "transform", "function": "title_case"},
      {"name": "load", "function": "fail_if", "config": {"values": ["World", "Analytics"], "delay_ms": 20}},
      {"name": "output", "function": "print"}],
      "edges": [["extract", "transform"], ["transform", "load"], ["load", "output"]],
      "halt_on_exception": true})");

  EXPECT_EQ(run.status(), RunStatus::halted);
  EXPECT_EQ(run.stats("transform"), (NodeStats{.in = 5, .out = 5, .err = 0}));
  EXPECT_EQ(run.stats("load"), (NodeStats{.in = 5, .out = 1, .err = 1}));
  EXPECT_EQ(run.stats("output"), (NodeStats{.in = 1, .out = 1, .err = 0}));
  EXPECT_EQ(run.logs_of("output"), (std::vector<std::string>{"Hello"}));
}

TEST(Halting, AnErrorInANodeWithoutTheFlagDoesNotHalt) {
  auto run = run_graph(R"({"nodes": [
      {"name": "src", "function": "values", "config": {"values": [1, 2, 3]}},
      {"name": "f", "function": "fail_if", "config": {"values": [1]}},
      {"name": "g", "function": "echo", "halt_on_exception": true}],
      "edges": [["src", "f"], ["f", "g"]]})");

  EXPECT_EQ(run.status(), RunStatus::completed);
  EXPECT_EQ(run.stats("f"), (NodeStats{.in = 3, .out = 2, .err = 1}));
  EXPECT_EQ(run.stats("g"), (NodeStats{.in = 2, .out = 2, .err = 0}));
}

TEST(Halting, CallsInProgressStopBeforeTheirNextYield) {
  // "long" would yield 100 items, 5 ms apart; "bad" fails after 12 ms and halts.
  auto run = run_graph(R"({"nodes": [
      {"name": "src", "function": "values", "config": {"values": [1]}},
      {"name": "long", "function": "repeat", "config": {"times": 100, "delay_ms": 5}},
      {"name": "bad", "function": "fail_if", "config": {"values": [1], "delay_ms": 12},
       "halt_on_exception": true},
      {"name": "after", "function": "echo"}],
      "edges": [["src", "long"], ["src", "bad"], ["long", "after"]]})");

  EXPECT_EQ(run.status(), RunStatus::halted);
  EXPECT_EQ(run.stats("bad").err, 1u);
  EXPECT_LT(run.stats("long").out, 100u);
  EXPECT_EQ(run.stats("long").err, 0u);  // being stopped is not an error
  EXPECT_LE(run.stats("after").out, run.stats("long").out);
}

TEST(Halting, QueuedItemsAreDiscardedWithoutBeingProcessed) {
  auto run = run_graph(R"({"nodes": [
      {"name": "src", "function": "range", "config": {"stop": 50}},
      {"name": "f", "function": "fail_if", "config": {"values": [0], "delay_ms": 5},
       "halt_on_exception": true}],
      "edges": [["src", "f"]]})");

  EXPECT_EQ(run.status(), RunStatus::halted);
  EXPECT_EQ(run.stats("f"), (NodeStats{.in = 50, .out = 0, .err = 1}));
}

TEST(Halting, ATypeErrorAlsoHalts) {
  auto run = run_graph(R"({"nodes": [
      {"name": "src", "function": "values", "config": {"values": [{"$tuple": [1, 2]}, "a", "b"],
       "delay_ms": 5}},
      {"name": "f", "function": "echo", "halt_on_exception": true}],
      "edges": [["src", "f"]]})");

  EXPECT_EQ(run.status(), RunStatus::halted);
  EXPECT_EQ(run.stats("f").err, 1u);
  EXPECT_EQ(run.node("f").errors[0].type, "TypeError");
  EXPECT_EQ(run.stats("src").out, 1u);  // the source is stopped too, mid-sleep
}

}  // namespace
}  // namespace agdf::test
