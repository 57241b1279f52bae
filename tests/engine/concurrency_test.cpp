// Queues and tasks: max_tasks calls of a node overlap, a full queue pauses its producer,
// and completion waits for all in-flight work whatever the declaration order.
#include <algorithm>

#include <gtest/gtest.h>

#include "engine/run_harness.hpp"
#include "engine/test_functions.hpp"

namespace agdf::test {
namespace {

using engine::NodeStats;
using engine::RunStatus;
using namespace std::chrono_literals;

std::string range_into(const std::string& function, int items, int max_tasks) {
  return R"({"nodes": [{"name": "src", "function": "range", "config": {"stop": )" +
         std::to_string(items) + R"(}}, {"name": "work", "function": ")" + function +
         R"(", "max_tasks": )" + std::to_string(max_tasks) + R"(}], "edges": [["src", "work"]]})";
}

TEST(MaxTasks, UpToMaxTasksCallsOfANodeAreInProgressAtOnce) {
  auto overlap = std::make_shared<Overlap>();
  overlap->target = 4;
  Registry registry = builtin_registry();
  registry.add(overlap_probe("probe", overlap));

  auto run = run_graph(range_into("probe", 12, 4), registry);

  EXPECT_EQ(run.status(), RunStatus::completed);
  EXPECT_EQ(overlap->calls, 12u);
  EXPECT_EQ(overlap->max_active, 4u);  // all four met, and never a fifth
  EXPECT_EQ(run.stats("work"), (NodeStats{.in = 12, .out = 12, .err = 0}));
}

TEST(MaxTasks, OneTaskMeansOneCallAtATime) {
  auto overlap = std::make_shared<Overlap>();
  overlap->target = 2;  // never reached: each call waits out its patience alone
  overlap->patience = 30ms;
  Registry registry = builtin_registry();
  registry.add(overlap_probe("probe", overlap));

  auto run = run_graph(range_into("probe", 3, 1), registry);

  EXPECT_EQ(overlap->calls, 3u);
  EXPECT_EQ(overlap->max_active, 1u);
  EXPECT_EQ(run.stats("work"), (NodeStats{.in = 3, .out = 3, .err = 0}));
}

TEST(MaxTasks, SleepCallsOverlapAsSnapshotsShow) {
  engine::RunOptions options;
  options.stats_interval = 10ms;
  auto run = run_graph(R"({"nodes": [{"name": "src", "function": "range", "config": {"stop": 5}},
      {"name": "nap", "function": "sleep", "config": {"ms": 300}, "max_tasks": 5}],
      "edges": [["src", "nap"]]})",
                       options);

  std::uint64_t most = 0;
  for (const auto& snapshot : run.snapshots)
    for (const auto& node : snapshot)
      if (node.name == "nap") most = std::max(most, node.active_calls);
  EXPECT_EQ(most, 5u);
  EXPECT_EQ(run.stats("nap"), (NodeStats{.in = 5, .out = 5, .err = 0}));
}

TEST(BackPressure, AFullQueuePausesTheProducerAtQueueSize) {
  auto depth = std::make_shared<QueueDepth>();
  Registry registry = builtin_registry();
  registry.add(depth_producer("produce", 30, depth));
  registry.add(slow_consumer("consume", 1ms, depth));
  engine::RunOptions options;
  options.stats_interval = 2ms;

  auto run = run_graph(R"({"nodes": [{"name": "p", "function": "produce"},
      {"name": "c", "function": "consume", "queue_size": 3}], "edges": [["p", "c"]]})",
                       registry, options);

  EXPECT_EQ(run.status(), RunStatus::completed);
  EXPECT_EQ(depth->emitted, 30u);
  EXPECT_EQ(depth->taken, 30u);
  EXPECT_EQ(depth->max_depth, 3u);  // reached the capacity, never beyond it
  for (const auto& snapshot : run.snapshots)
    for (const auto& node : snapshot) EXPECT_LE(node.queued, 3u) << node.name;
  EXPECT_EQ(run.stats("c"), (NodeStats{.in = 30, .out = 0, .err = 0}));
}

TEST(BackPressure, EveryDestinationOfAFanOutIsBounded) {
  auto depth = std::make_shared<QueueDepth>();
  Registry registry = builtin_registry();
  registry.add(depth_producer("produce", 20, depth));
  registry.add(slow_consumer("consume", 1ms, depth));

  auto run = run_graph(R"({"nodes": [{"name": "p", "function": "produce"},
      {"name": "slow", "function": "consume", "queue_size": 2},
      {"name": "fast", "function": "discard", "queue_size": 2}],
      "edges": [["p", "slow"], ["p", "fast"]]})",
                       registry);

  EXPECT_EQ(depth->max_depth, 2u);
  EXPECT_EQ(run.stats("slow").in, 20u);
  EXPECT_EQ(run.stats("fast").in, 20u);
}

TEST(Queues, EveryDestinationGetsEveryItemInOrder) {
  engine::RunOptions options;
  options.capture = {"left", "right"};
  auto run = run_graph(R"({"nodes": [
      {"name": "src", "function": "values", "config": {"values": [1, 2, 3, 4, 5]}},
      {"name": "left", "function": "echo"},
      {"name": "right", "function": "sleep", "config": {"ms": 1}}],
      "edges": [["src", "left"], ["src", "right"]]})",
                       options);

  std::vector<Item> left;
  std::vector<Item> right;
  for (const auto& [node, item] : run.outputs) (node == "left" ? left : right).push_back(item);
  EXPECT_EQ(left, (std::vector<Item>{1, 2, 3, 4, 5}));
  EXPECT_EQ(right, (std::vector<Item>{1, 2, 3, 4, 5}));
  EXPECT_EQ(run.stats("src").out, 5u);  // one yield, counted once, however many destinations
}

TEST(Completion, DeclarationOrderDoesNotLoseItems) {
  // Downstream nodes are declared before their upstream ones; the middle node is slow
  // and concurrent, so items are still in flight when the source has finished.
  auto run = run_graph(R"({"nodes": [
      {"name": "load", "function": "echo"},
      {"name": "transform", "function": "sleep", "config": {"ms": 1}, "max_tasks": 3},
      {"name": "extract", "function": "range", "config": {"stop": 200}}],
      "edges": [["transform", "load"], ["extract", "transform"]]})");

  EXPECT_EQ(run.status(), RunStatus::completed);
  EXPECT_EQ(run.stats("extract"), (NodeStats{.in = 0, .out = 200, .err = 0}));
  EXPECT_EQ(run.stats("transform"), (NodeStats{.in = 200, .out = 200, .err = 0}));
  EXPECT_EQ(run.stats("load"), (NodeStats{.in = 200, .out = 200, .err = 0}));
}

TEST(Completion, ItemsYieldedLateByAFarUpstreamNodeAreStillProcessed) {
  auto run = run_graph(R"({"nodes": [
      {"name": "d", "function": "echo"},
      {"name": "c", "function": "repeat", "config": {"times": 2, "delay_ms": 5}},
      {"name": "b", "function": "echo"},
      {"name": "a", "function": "values", "config": {"values": [1, 2, 3], "delay_ms": 5}}],
      "edges": [["a", "b"], ["b", "c"], ["c", "d"]]})");

  EXPECT_EQ(run.stats("d"), (NodeStats{.in = 6, .out = 6, .err = 0}));
}

TEST(Completion, ANodeFedByTwoSourcesGetsEverything) {
  auto run = run_graph(R"({"nodes": [
      {"name": "join", "function": "echo"},
      {"name": "fast", "function": "range", "config": {"stop": 50}},
      {"name": "slow", "function": "values", "config": {"values": [1, 2], "delay_ms": 10}}],
      "edges": [["fast", "join"], ["slow", "join"]]})");

  EXPECT_EQ(run.stats("join"), (NodeStats{.in = 52, .out = 52, .err = 0}));
}

TEST(Completion, NullYieldsAreCountedAndForwarded) {
  Registry registry = builtin_registry();
  registry.add(bare_yields("yield_none", 3));

  auto run = run_graph(R"({"nodes": [{"name": "a", "function": "yield_none"},
      {"name": "b", "function": "print"}], "edges": [["a", "b"]]})",
                       registry);

  EXPECT_EQ(run.stats("a"), (NodeStats{.in = 0, .out = 3, .err = 0}));
  EXPECT_EQ(run.stats("b"), (NodeStats{.in = 3, .out = 3, .err = 0}));
}

TEST(Completion, ANodeThatYieldsNothingEndsTheRun) {
  auto run = run_graph(R"({"nodes": [{"name": "a", "function": "values", "config": {"values": []}},
      {"name": "b", "function": "echo"}], "edges": [["a", "b"]]})");

  EXPECT_EQ(run.status(), RunStatus::completed);
  EXPECT_EQ(run.stats("a"), (NodeStats{}));
  EXPECT_EQ(run.stats("b"), (NodeStats{}));
}

}  // namespace
}  // namespace agdf::test
