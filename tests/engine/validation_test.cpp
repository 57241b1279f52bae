// Whole-graph validation: every problem is found and reported at once, each naming the
// node or field it concerns, and nothing runs.
#include <gtest/gtest.h>

#include "agdf/engine/validate.hpp"
#include "engine/run_harness.hpp"

namespace agdf::test {
namespace {

using Problems = std::vector<std::string>;

Problems problems(std::string_view graph) {
  return problems_of(graph, builtin_registry());
}

TEST(Validation, AValidGraphHasNoProblemsAndAPlan) {
  auto validation =
      engine::validate(engine::parse_graph_text(
                           R"({"nodes": [{"name": "a", "function": "range", "config": {"stop": 2}},
          {"name": "b", "function": "echo"}], "edges": [["a", "b"]]})"),
                       builtin_registry());
  EXPECT_TRUE(validation.problems.empty());
  ASSERT_TRUE(validation.plan);
  EXPECT_EQ(validation.plan->nodes[0].destinations, (std::vector<std::size_t>{1}));
  ASSERT_EQ(validation.plan->starts.size(), 1u);
  EXPECT_EQ(validation.plan->starts[0].node, 0u);
}

TEST(Validation, OmittedOptionsTakeTheReferenceDefaults) {
  auto plan =
      plan_of(R"({"nodes": [{"name": "a", "function": "echo"}], "start_nodes": {"a": [1]}})",
              builtin_registry());
  const engine::NodeSpec& a = plan->nodes[0].spec;
  EXPECT_EQ(a.max_tasks, 1);
  EXPECT_EQ(a.queue_size, 10000);
  EXPECT_TRUE(a.unpack_input);
  EXPECT_FALSE(a.halt_on_exception);
  EXPECT_FALSE(plan->halt_on_exception);
  EXPECT_EQ(plan->max_exceptions, 1000u);
}

TEST(Validation, DuplicateNodeName) {
  EXPECT_EQ(
      problems(
          R"({"nodes": [{"name": "a", "function": "echo"}, {"name": "a", "function": "echo"}]})"),
      (Problems{"node 'a': duplicate node name"}));
}

TEST(Validation, UnknownFunction) {
  EXPECT_EQ(problems(R"({"nodes": [{"name": "a", "function": "nope"}]})"),
            (Problems{"node 'a': unknown function 'nope'"}));
}

TEST(Validation, EdgeFromOrToAnUnknownNode) {
  EXPECT_EQ(problems(R"({"nodes": [{"name": "a", "function": "echo"}],
                         "edges": [["ghost", "a"], ["a", "phantom"]]})"),
            (Problems{"edges[0]: unknown source node 'ghost'",
                      "edges[1]: unknown destination node 'phantom'"}));
}

TEST(Validation, CycleNamesItsNodes) {
  EXPECT_EQ(problems(R"({"nodes": [{"name": "src", "function": "range", "config": {"stop": 1}},
                         {"name": "p", "function": "echo"}, {"name": "q", "function": "echo"},
                         {"name": "r", "function": "echo"}],
                         "edges": [["src", "p"], ["p", "q"], ["q", "r"], ["r", "p"]]})"),
            (Problems{"edges: cycle: p -> q -> r -> p"}));
}

TEST(Validation, SelfLoopIsACycle) {
  EXPECT_EQ(problems(R"({"nodes": [{"name": "a", "function": "echo"}], "edges": [["a", "a"]]})"),
            (Problems{"edges: cycle: a -> a"}));
}

TEST(Validation, MaxTasksAndQueueSizeMustBeAtLeastOne) {
  EXPECT_EQ(
      problems(R"({"nodes": [{"name": "a", "function": "echo", "max_tasks": 0, "queue_size": 0},
                         {"name": "b", "function": "echo", "max_tasks": -3}]})"),
      (Problems{"node 'a': max_tasks must be at least 1", "node 'a': queue_size must be at least 1",
                "node 'b': max_tasks must be at least 1"}));
}

TEST(Validation, UnknownStartNode) {
  EXPECT_EQ(problems(R"({"nodes": [{"name": "a", "function": "echo"}], "start_nodes": {"x": []}})"),
            (Problems{"start_nodes: the graph doesn't have the node 'x'"}));
}

TEST(Validation, ConfigRejectedByTheFunction) {
  EXPECT_EQ(
      problems(
          R"({"nodes": [{"name": "r", "function": "range", "config": {"stop": "ten", "step": 0}}]})"),
      (Problems{"node 'r': config.stop must be an integer",
                "node 'r': config.step must not be 0"}));
}

TEST(Validation, UnknownAndMissingConfigKeys) {
  EXPECT_EQ(problems(R"({"nodes": [{"name": "r", "function": "range", "config": {"stpo": 3}}]})"),
            (Problems{"node 'r': unknown config key 'stpo' for function 'range'",
                      "node 'r': config.stop is required"}));
}

TEST(Validation, EveryProblemIsReportedAtOnce) {
  auto found = problems(R"({
    "nodes": [
      {"name": "a", "function": "range", "config": {"stop": 3, "step": 0}},
      {"name": "a", "function": "echo"},
      {"name": "b", "function": "nope"},
      {"name": "c", "function": "echo", "max_tasks": 0},
      {"name": "d", "function": "echo", "queue_size": 0},
      {"name": "e", "function": "echo", "config": {"thn": []}},
      {"name": "p", "function": "echo"},
      {"name": "q", "function": "echo"}],
    "edges": [["a", "c"], ["ghost", "c"], ["c", "phantom"], ["p", "q"], ["q", "p"]],
    "start_nodes": {"a": [], "x": []},
    "bogus": 1})");

  EXPECT_EQ(found, (Problems{
                       "graph: unknown key 'bogus'",
                       "node 'a': config.step must not be 0",
                       "node 'a': duplicate node name",
                       "node 'b': unknown function 'nope'",
                       "node 'c': max_tasks must be at least 1",
                       "node 'd': queue_size must be at least 1",
                       "node 'e': unknown config key 'thn' for function 'echo'",
                       "edges[1]: unknown source node 'ghost'",
                       "edges[2]: unknown destination node 'phantom'",
                       "edges: cycle: p -> q -> p",
                       "start_nodes: the graph doesn't have the node 'x'",
                   }));
}

TEST(Validation, AGraphWithoutNodesIsAProblem) {
  EXPECT_EQ(problems(R"({"nodes": []})"), (Problems{"graph: the graph has no nodes"}));
}

}  // namespace
}  // namespace agdf::test
