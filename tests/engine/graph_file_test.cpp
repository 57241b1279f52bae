#include <gtest/gtest.h>

#include "agdf/engine/graph_file.hpp"

namespace agdf::engine {
namespace {

TEST(GraphFile, ReadsNodesEdgesAndOptions) {
  auto parsed = parse_graph_text(R"({
    "nodes": [{"name": "a", "function": "range", "config": {"stop": 3}, "max_tasks": 2},
              {"name": "b", "function": "echo", "queue_size": 5, "unpack_input": false,
               "halt_on_exception": true}],
    "edges": [["a", "b"]],
    "halt_on_exception": true,
    "start_nodes": {"a": []},
    "max_exceptions": 7})");
  ASSERT_TRUE(parsed.problems.empty());
  const GraphSpec& g = *parsed.spec;
  ASSERT_EQ(g.nodes.size(), 2u);
  EXPECT_EQ(g.nodes[0].max_tasks, 2);
  EXPECT_EQ(g.nodes[0].config["stop"], 3);
  EXPECT_EQ(g.nodes[1].queue_size, 5);
  EXPECT_FALSE(g.nodes[1].unpack_input);
  EXPECT_TRUE(g.nodes[1].halt_on_exception);
  ASSERT_EQ(g.edges.size(), 1u);
  EXPECT_EQ(g.edges[0].from, "a");
  EXPECT_TRUE(g.halt_on_exception);
  ASSERT_EQ(g.start_nodes.size(), 1u);
  EXPECT_EQ(g.max_exceptions, 7);
}

TEST(GraphFile, UnknownKeysAreProblemsNotIgnored) {
  auto parsed = parse_graph_text(R"({"nodes": [{"name": "a", "function": "f", "max_task": 2}],
                                     "edgez": []})");
  ASSERT_EQ(parsed.problems.size(), 2u);
  EXPECT_EQ(parsed.problems[0].to_string(), "graph: unknown key 'edgez'");
  EXPECT_EQ(parsed.problems[1].to_string(), "node 'a': unknown key 'max_task'");
}

TEST(GraphFile, InvalidJsonIsOneProblem) {
  auto parsed = parse_graph_text("{not json");
  ASSERT_EQ(parsed.problems.size(), 1u);
  EXPECT_FALSE(parsed.spec.has_value());
}

}  // namespace
}  // namespace agdf::engine
