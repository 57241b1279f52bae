// Node policies: retry and timeout (issue 5), and how they keep the counts honest.
#include <gtest/gtest.h>

#include "agdf/nodes/node_context.hpp"
#include "agdf/nodes/node_error.hpp"
#include "engine/run_harness.hpp"

namespace agdf::test {
namespace {

namespace asio = boost::asio;
using engine::NodeStats;
using engine::RunStatus;

/// Fails the first `failures` calls (counting across inputs), yielding "partial" before
/// each failure; a successful call yields "partial" then "done".
FunctionDef flaky(std::shared_ptr<int> calls, int failures) {
  return {.name = "flaky",
          .description = "test: fails its first calls",
          .params = {{"item", Json()}},
          .config_keys = {},
          .prepare = [calls, failures](const Json&) {
            return bind_without_config(
                [calls, failures](NodeContext& ctx, Args) -> asio::awaitable<void> {
                  const int call = ++*calls;
                  co_await ctx.emit("partial");
                  if (call <= failures) throw NodeError("Flaky", "attempt " + std::to_string(call));
                  co_await ctx.emit("done");
                });
          }};
}

constexpr const char* kFlakyGraph = R"({
  "nodes": [{"name": "work", "function": "flaky", "retry": RETRY},
            {"name": "after", "function": "echo"}],
  "edges": [["work", "after"]]})";

std::string flaky_graph(const std::string& retry) {
  std::string graph = kFlakyGraph;
  graph.replace(graph.find("RETRY"), 5, retry);
  return graph;
}

TEST(RetryPolicy, SucceedsOnTheThirdAttemptWithoutCountingAnError) {
  auto registry = builtin_registry();
  auto calls = std::make_shared<int>(0);
  registry.add(flaky(calls, 2));
  auto run = run_graph(flaky_graph(R"({"attempts": 3, "backoff_ms": 1})"), registry);

  EXPECT_EQ(run.status(), RunStatus::completed);
  EXPECT_EQ(*calls, 3);
  EXPECT_EQ(run.stats("work").err, 0u);
  ASSERT_EQ(run.retries.size(), 2u);  // each failed attempt is visible
  EXPECT_EQ(std::get<1>(run.retries[0]), 1);
  EXPECT_EQ(std::get<2>(run.retries[1]).message, "attempt 2");
}

TEST(RetryPolicy, DoesNotForwardAgainWhatAnEarlierAttemptForwarded) {
  auto registry = builtin_registry();
  registry.add(flaky(std::make_shared<int>(0), 2));
  auto run = run_graph(flaky_graph(R"({"attempts": 3})"), registry);
  // "partial" went downstream once (attempt 1); attempt 3 adds only "done".
  EXPECT_EQ(run.stats("work"), (NodeStats{.in = 0, .out = 2, .err = 0}));
  EXPECT_EQ(run.stats("after").in, 2u);
}

TEST(RetryPolicy, CountsOneErrorWhenEveryAttemptFails) {
  auto registry = builtin_registry();
  registry.add(flaky(std::make_shared<int>(0), 10));
  auto run =
      run_graph(flaky_graph(R"({"attempts": 3, "backoff_ms": 1, "max_backoff_ms": 2})"), registry);
  EXPECT_EQ(run.stats("work").err, 1u);
  EXPECT_EQ(run.retries.size(), 2u);
  ASSERT_EQ(run.node("work").errors.size(), 1u);
  EXPECT_EQ(run.node("work").errors[0].message, "attempt 3");
}

TEST(TimeoutPolicy, CancelsACallThatRunsTooLongAndCountsAnError) {
  auto run = run_graph(R"({
    "nodes": [{"name": "source", "function": "values", "config": {"values": [1]}},
              {"name": "slow", "function": "sleep", "config": {"ms": 60000}, "timeout_ms": 30},
              {"name": "after", "function": "echo"}],
    "edges": [["source", "slow"], ["slow", "after"]]})");
  EXPECT_EQ(run.status(), RunStatus::completed);
  EXPECT_EQ(run.stats("slow"), (NodeStats{.in = 1, .out = 0, .err = 1}));
  ASSERT_EQ(run.node("slow").errors.size(), 1u);
  EXPECT_EQ(run.node("slow").errors[0].type, "TimeoutError");
  EXPECT_EQ(run.node("slow").errors[0].message, "timed out after 30 ms");
}

TEST(TimeoutPolicy, ATimedOutAttemptIsRetried) {
  auto run = run_graph(R"({
    "nodes": [{"name": "source", "function": "values", "config": {"values": [1]}},
              {"name": "slow", "function": "sleep", "config": {"ms": 60000}, "timeout_ms": 20,
               "retry": {"attempts": 2}}],
    "edges": [["source", "slow"]]})");
  EXPECT_EQ(run.stats("slow").err, 1u);
  ASSERT_EQ(run.retries.size(), 1u);
  EXPECT_EQ(std::get<2>(run.retries[0]).type, "TimeoutError");
}

TEST(TimeoutPolicy, CancelsACallBlockedOnAFullQueue) {
  // `burst` fills sink's one-slot queue and then waits for space that only comes after
  // sink's minute-long sleep: the timeout must cut through that wait.
  auto run = run_graph(R"({
    "nodes": [{"name": "source", "function": "values", "config": {"values": [1]}},
              {"name": "burst", "function": "repeat", "config": {"times": 5}, "timeout_ms": 50},
              {"name": "sink", "function": "sleep", "config": {"ms": 60000}, "queue_size": 1,
               "timeout_ms": 100}],
    "edges": [["source", "burst"], ["burst", "sink"]]})");
  EXPECT_EQ(run.status(), RunStatus::completed);
  EXPECT_EQ(run.stats("burst").err, 1u);
  EXPECT_EQ(run.node("burst").errors.at(0).type, "TimeoutError");
}

TEST(PolicyValidation, ReportsBadRetryAndTimeoutValues) {
  auto problems = problems_of(R"({
    "nodes": [{"name": "a", "function": "values", "config": {"values": [1]}, "timeout_ms": -1,
               "retry": {"attempts": 0, "backoff_ms": -5, "tries": 2}}],
    "edges": []})",
                              builtin_registry());
  EXPECT_EQ(problems, (std::vector<std::string>{
                          "node 'a' retry: unknown key 'tries'",
                          "node 'a': timeout_ms must be >= 0",
                          "node 'a': retry.attempts must be at least 1",
                          "node 'a': retry.backoff_ms must be >= 0",
                      }));
}

}  // namespace
}  // namespace agdf::test
