// Queue kinds (batch, zip, preload) and conditional edges: issue 5's edge behaviours.
#include <gtest/gtest.h>

#include "engine/run_harness.hpp"

namespace agdf::test {
namespace {

using engine::RunStatus;

/// The items `node` yielded, in order (the node must be captured).
std::vector<Json> outputs_of(const Recording& run, std::string_view node) {
  std::vector<Json> items;
  for (const auto& [name, item] : run.outputs)
    if (name == node) items.push_back(item);
  return items;
}

engine::RunOptions capturing(std::vector<std::string> nodes) {
  engine::RunOptions options;
  options.capture = std::move(nodes);
  return options;
}

TEST(BatchQueue, GroupsOneToTenInFoursAndFlushesTheRestWithoutAMarker) {
  auto run = run_graph(R"({
    "nodes": [{"name": "numbers", "function": "range", "config": {"start": 1, "stop": 11}},
              {"name": "batches", "function": "echo", "queue": {"kind": "batch", "size": 4}}],
    "edges": [["numbers", "batches"]]})",
                       capturing({"batches"}));
  EXPECT_EQ(run.status(), RunStatus::completed);
  EXPECT_EQ(outputs_of(run, "batches"), (std::vector<Json>{{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10}}));
  EXPECT_EQ(run.stats("batches").in, 10u);  // `in` counts items, not batches
  EXPECT_EQ(run.stats("batches").out, 3u);
}

TEST(BatchQueue, WaitsForEveryUpstreamProducerBeforeFlushingAPartialBatch) {
  auto run = run_graph(R"({
    "nodes": [{"name": "fast", "function": "values", "config": {"values": [1, 2]}},
              {"name": "slow", "function": "values", "config": {"values": [3], "delay_ms": 30}},
              {"name": "relay", "function": "echo"},
              {"name": "batches", "function": "echo", "queue": {"kind": "batch", "size": 100}}],
    "edges": [["fast", "batches"], ["slow", "relay"], ["relay", "batches"]]})",
                       capturing({"batches"}));
  EXPECT_EQ(outputs_of(run, "batches"), (std::vector<Json>{{1, 2, 3}}));
}

TEST(BatchQueue, FlushesAPartialBatchWhenItsOldestItemWaitedMaxWait) {
  // 1 and 2 arrive at once; 3 only after 600 ms, long after the 40 ms max wait.
  auto run = run_graph(R"({
    "nodes": [{"name": "fast", "function": "values", "config": {"values": [1, 2]}},
              {"name": "slow", "function": "values", "config": {"values": [3], "delay_ms": 600}},
              {"name": "batches", "function": "echo",
               "queue": {"kind": "batch", "size": 100, "max_wait_ms": 40}}],
    "edges": [["fast", "batches"], ["slow", "batches"]]})",
                       capturing({"batches"}));
  EXPECT_EQ(outputs_of(run, "batches"), (std::vector<Json>{{1, 2}, {3}}));
}

TEST(BatchQueue, PreloadedItemsAreBatchedToo) {
  auto run = run_graph(R"({
    "nodes": [{"name": "numbers", "function": "values", "config": {"values": [3]}},
              {"name": "batches", "function": "echo",
               "queue": {"kind": "batch", "size": 2, "preload": [1, 2]}}],
    "edges": [["numbers", "batches"]]})",
                       capturing({"batches"}));
  EXPECT_EQ(outputs_of(run, "batches"), (std::vector<Json>{{1, 2}, {3}}));
}

TEST(ZipQueue, CombinesThreesFoursFivesIntoThreeTuplesAndReportsLeftovers) {
  auto run = run_graph(R"({
    "nodes": [{"name": "threes", "function": "values", "config": {"values": [3, 3, 3]}},
              {"name": "fours", "function": "values", "config": {"values": [4, 4, 4, 4]}},
              {"name": "fives", "function": "values", "config": {"values": [5, 5, 5, 5, 5]}},
              {"name": "combine", "function": "echo", "unpack_input": false,
               "queue": {"kind": "zip", "sources": ["threes", "fours", "fives"]}}],
    "edges": [["fives", "combine"], ["threes", "combine"], ["fours", "combine"]]})",
                       capturing({"combine"}));
  EXPECT_EQ(run.status(), RunStatus::completed);
  const Item tuple = make_tuple({3, 4, 5});
  EXPECT_EQ(outputs_of(run, "combine"), (std::vector<Json>{tuple, tuple, tuple}));
  EXPECT_EQ(run.node("combine").dropped, 3u);
  EXPECT_EQ(
      run.logs_of("combine"),
      (std::vector<std::string>{"zip dropped 3 items that could not be completed into a tuple"}));
}

TEST(ZipQueue, OrdersTupleElementsByEdgeOrderByDefault) {
  auto run = run_graph(R"({
    "nodes": [{"name": "letters", "function": "values", "config": {"values": ["a", "b"]}},
              {"name": "numbers", "function": "values", "config": {"values": [1, 2]}},
              {"name": "pair", "function": "template", "queue": {"kind": "zip"},
               "config": {"params": ["n", "l"], "template": "{n}{l}"}}],
    "edges": [["numbers", "pair"], ["letters", "pair"]]})",
                       capturing({"pair"}));
  EXPECT_EQ(outputs_of(run, "pair"), (std::vector<Json>{"1a", "2b"}));
  EXPECT_EQ(run.node("pair").dropped, 0u);
}

TEST(PreloadQueue, ItemsReachANodeThatIsNotAStartNode) {
  auto run = run_graph(R"({
    "nodes": [{"name": "source", "function": "values", "config": {"values": ["from source"]}},
              {"name": "sink", "function": "echo",
               "queue": {"kind": "preload", "items": ["pre 1", "pre 2"]}}],
    "edges": [["source", "sink"]]})",
                       capturing({"sink"}));
  EXPECT_EQ(outputs_of(run, "sink"), (std::vector<Json>{"pre 1", "pre 2", "from source"}));
  EXPECT_EQ(run.stats("sink").in, 1u);  // preloaded items are not forwarded items
}

TEST(PreloadQueue, IsProcessedWhenItsUpstreamNeverRuns) {
  auto run = run_graph(R"({
    "nodes": [{"name": "upstream", "function": "values", "config": {"values": [1]}},
              {"name": "loaded", "function": "echo", "queue": {"kind": "preload", "items": [7]}},
              {"name": "other", "function": "values", "config": {"values": [0]}}],
    "edges": [["upstream", "loaded"]],
    "start_nodes": {"other": []}})",
                       capturing({"loaded"}));
  EXPECT_EQ(outputs_of(run, "loaded"), (std::vector<Json>{7}));
  EXPECT_EQ(run.stats("upstream").out, 0u);
}

TEST(ConditionalEdge, RoutesEachItemOnlyWhereItsConditionHolds) {
  auto run = run_graph(R"({
    "nodes": [{"name": "records", "function": "values", "config": {"values": [
                {"state": "CA", "n": 1}, {"state": "OR", "n": 2}, {"state": "CA", "n": 3}, {"n": 4}]}},
              {"name": "california", "function": "echo", "unpack_input": false},
              {"name": "elsewhere", "function": "echo", "unpack_input": false},
              {"name": "everything", "function": "echo", "unpack_input": false}],
    "edges": [{"from": "records", "to": "california",
               "when": {"field": "state", "op": "==", "value": "CA"}},
              {"from": "records", "to": "elsewhere",
               "when": {"not": {"field": "state", "op": "==", "value": "CA"}}},
              ["records", "everything"]]})",
                       capturing({"california", "elsewhere"}));
  EXPECT_EQ(run.stats("california").in, 2u);
  EXPECT_EQ(run.stats("elsewhere").in, 2u);
  EXPECT_EQ(run.stats("everything").in, 4u);
  EXPECT_EQ(outputs_of(run, "california"),
            (std::vector<Json>{{{"state", "CA"}, {"n", 1}}, {{"state", "CA"}, {"n", 3}}}));
}

TEST(EdgeBehaviourValidation, ReportsEveryProblemAtOnce) {
  auto problems = problems_of(R"({
    "nodes": [{"name": "a", "function": "values", "config": {"values": [1]}},
              {"name": "b", "function": "echo", "queue": {"kind": "zip"}},
              {"name": "c", "function": "echo", "queue": {"kind": "batch", "size": 0}},
              {"name": "d", "function": "echo", "queue": {"kind": "sorted"}},
              {"name": "e", "function": "echo", "queue": {"kind": "batch", "size": 2, "colour": 1}}],
    "edges": [["a", "b"], ["a", "c"], ["a", "d"], ["a", "e"],
              {"from": "b", "to": "c", "when": {"field": "x..y", "op": "=="}}]})",
                              builtin_registry());
  EXPECT_EQ(problems,
            (std::vector<std::string>{
                "edges[4]: when: cannot parse field path 'x..y'",
                "edges[4]: when: op '==' needs a value",
                "node 'b': queue kind 'zip' needs at least two source nodes, 'b' has 1",
                "node 'c': queue.size must be at least 1",
                "node 'd': unknown queue kind 'sorted' (known: batch, fifo, preload, zip)",
                "node 'e': unknown key 'colour' for queue kind 'batch'",
            }));
}

}  // namespace
}  // namespace agdf::test
