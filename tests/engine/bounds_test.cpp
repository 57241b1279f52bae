// The fixed bounds of a graph and the parser's refusals of hostile text: each is a problem
// naming the field and the bound, found without recursion whose depth a client controls.
#include <gtest/gtest.h>

#include "agdf/engine/graph_bounds.hpp"
#include "agdf/engine/validate.hpp"
#include "engine/run_harness.hpp"
#include "support/deep_json.hpp"

namespace agdf::test {
namespace {

using agdf::testing::deep_array;

using Problems = std::vector<std::string>;

Problems problems(std::string_view graph) {
  return problems_of(graph, builtin_registry());
}

std::string one_node(const std::string& options) {
  return R"({"nodes": [{"name": "a", "function": "echo")" + options + "}]}";
}

/// "n<i>" (built by appending: GCC 12 warns falsely about "n" + std::string).
std::string node_name(std::size_t i) {
  std::string name = "n";
  name += std::to_string(i);
  return name;
}

std::vector<std::string> texts(const engine::Problems& found) {
  std::vector<std::string> out;
  for (const auto& p : found) out.push_back(p.to_string());
  return out;
}

TEST(Bounds, MaxTasksAndQueueSizeHaveUpperBounds) {
  // 2^31 and 2^63-1 tasks were accepted, then every task was started: std::bad_alloc.
  EXPECT_EQ(problems(one_node(R"(, "max_tasks": 2147483648, "queue_size": 1000001)")),
            (Problems{"node 'a': max_tasks must be at most 100000",
                      "node 'a': queue_size must be at most 1000000"}));
  EXPECT_EQ(problems(one_node(R"(, "max_tasks": 9223372036854775807)")),
            (Problems{"node 'a': max_tasks must be at most 100000"}));
  // Past int64 too: saturated, not wrapped to a negative number.
  EXPECT_EQ(problems(one_node(R"(, "max_tasks": 18446744073709551615)")),
            (Problems{"node 'a': max_tasks must be at most 100000"}));
  EXPECT_TRUE(problems(one_node(R"(, "max_tasks": 100000, "queue_size": 1000000)")).empty());
}

TEST(Bounds, MillisecondOptionsAreAtMostThirtyDays) {
  EXPECT_EQ(
      problems(one_node(
          R"(, "timeout_ms": 10000000000000, "retry": {"attempts": 2, "backoff_ms": 9223372036854775807, "max_backoff_ms": 2592000001})")),
      (Problems{"node 'a': timeout_ms must be at most 2592000000 (30 days)",
                "node 'a': retry.backoff_ms must be at most 2592000000 (30 days)",
                "node 'a': retry.max_backoff_ms must be at most 2592000000 (30 days)"}));
  EXPECT_EQ(problems(one_node(R"(, "retry": {"attempts": 1001})")),
            (Problems{"node 'a': retry.attempts must be at most 1000"}));
  EXPECT_TRUE(problems(one_node(R"(, "timeout_ms": 2592000000)")).empty());
}

TEST(Bounds, MaxExceptionsAndBatchSizeAreBounded) {
  EXPECT_EQ(problems(R"({"nodes": [{"name": "a", "function": "echo",
                                    "queue": {"kind": "batch", "size": 1000001, "max_wait_ms": 9223372036854775807}}],
                         "max_exceptions": 100001})"),
            (Problems{"graph: max_exceptions must be at most 100000",
                      "node 'a': queue.max_wait_ms must be at most 2592000000 (30 days)",
                      "node 'a': queue.size must be at most 1000000"}));
}

TEST(Bounds, NodeAndEdgeCountsAreBoundedBeforeAnythingElseIsChecked) {
  engine::GraphSpec spec;
  for (std::size_t i = 0; i <= engine::bounds::kNodes; ++i)
    spec.nodes.push_back({.name = node_name(i), .function = "echo"});
  auto validation = engine::validate(spec, builtin_registry());
  EXPECT_EQ(texts(validation.problems),
            (Problems{"graph: the graph has 10001 nodes; at most 10000"}));
}

TEST(Bounds, NamesAreBoundedAndQuotedShortened) {
  const std::string name(100'000, 'x');
  auto found = problems(R"({"nodes": [{"name": ")" + name + R"(", "function": "echo"}],
                            "edges": [[")" +
                        name + R"(", "ghost"]]})");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0], "nodes[0]: the node name is 100000 bytes long; at most 256");
  EXPECT_EQ(found[1], "edges[0]: unknown destination node 'ghost'");
  EXPECT_LT(found[0].size() + found[1].size(), 300u);

  auto unknown = problems(R"({"nodes": [{"name": "a", "function": ")" + name + R"("}]})");
  ASSERT_EQ(unknown.size(), 2u);
  EXPECT_EQ(unknown[1],
            "node 'a': unknown function '" + std::string(64, 'x') + "... (100000 bytes)'");
}

TEST(CycleCheck, AChainAsLongAsAGraphMayBeIsCheckedWithoutRecursion) {
  // A structured Graph of 130,000 chained nodes overflowed the recursive check; the node
  // bound now stops such a graph first, and the check itself is iterative.
  engine::GraphSpec spec;
  const std::size_t n = engine::bounds::kNodes;
  for (std::size_t i = 0; i < n; ++i)
    spec.nodes.push_back({.name = node_name(i), .function = "echo"});
  for (std::size_t i = 0; i + 1 < n; ++i)
    spec.edges.push_back({node_name(i), node_name(i + 1), Json()});
  spec.edges.push_back({node_name(n - 1), "n0", Json()});
  spec.start_nodes.push_back({"n0", {}});
  auto validation = engine::validate(spec, builtin_registry());
  EXPECT_EQ(texts(validation.problems),
            (Problems{"edges: cycle: n0 -> n1 -> n2 -> n3 -> n4 -> ... -> n9996 -> n9997 -> n9998 "
                      "-> n9999 -> n0 (10000 nodes)"}));

  spec.edges.pop_back();
  EXPECT_TRUE(engine::validate(spec, builtin_registry()).problems.empty());
}

TEST(StartNodes, NamingOneTwiceIsAProblem) {
  engine::GraphSpec spec;
  spec.nodes.push_back({.name = "a", .function = "echo"});
  spec.start_nodes = {{"a", {1}}, {"a", {2}}};
  EXPECT_EQ(texts(engine::validate(spec, builtin_registry()).problems),
            (Problems{"start_nodes: the node 'a' is named twice; a start node is called once"}));
  // In a graph file start_nodes is an object: a second "a" is a duplicate key.
  EXPECT_EQ(problems(R"({"nodes": [{"name": "a", "function": "echo"}],
  "start_nodes": {"a": [1], "a": [2]}})"),
            (Problems{"the graph is not valid JSON: line 2, column 29: duplicate key 'a' in one "
                      "object"}));
}

TEST(DeepValues, TextNestedTooDeeplyIsOneProblemSayingWhere) {
  const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
  EXPECT_EQ(problems(R"({"nodes": [{"name": "a", "function": "echo", "config": {"then": )" + deep +
                     "}}]}"),
            (Problems{"the graph is not valid JSON: line 1, column 161: nested deeper than 100 "
                      "levels of arrays and objects"}));
}

TEST(DeepValues, ValuesBuiltInMemoryAreCheckedBeforeTheyAreCopied) {
  Json when = Json{{"field", "x"}, {"op", "exists"}};
  for (int i = 0; i < 20'000; ++i) {
    Json outer = Json::object();
    outer["not"] = std::move(when);
    when = std::move(outer);
  }
  engine::GraphSpec spec;
  spec.nodes.push_back({.name = "a", .function = "echo"});
  spec.nodes[0].config["then"] = deep_array(100'000);
  spec.nodes.push_back({.name = "b", .function = "echo"});
  spec.nodes[1].queue = Json{{"kind", "preload"}};
  spec.nodes[1].queue["items"] = deep_array(100'000);
  spec.edges.push_back({"a", "b", Json()});
  spec.edges[0].when = std::move(when);
  spec.start_nodes.push_back({"a", {}});
  spec.start_nodes[0].args.push_back(deep_array(100'000));
  EXPECT_EQ(texts(engine::validate(spec, builtin_registry()).problems),
            (Problems{"node 'a': config nests deeper than 100 levels",
                      "node 'b': queue nests deeper than 100 levels",
                      "edges[0]: when: the condition nests deeper than 100 levels",
                      "start_nodes: the arguments of 'a' nest deeper than 100 levels"}));

  Json node = Json{{"name", "a"}, {"function", "echo"}, {"config", Json::object()}};
  node["config"]["then"] = deep_array(100'000);
  Json document = Json::object();
  document["nodes"] = Json::array();
  document["nodes"].push_back(std::move(node));
  EXPECT_EQ(texts(engine::parse_graph(document).problems),
            (Problems{"graph: nested deeper than 100 levels of arrays and objects"}));
}

TEST(GraphText, SyntaxErrorsSayLineColumnAndWhatWasExpected) {
  auto parsed = engine::parse_graph_text(
      "{\"nodes\": [\n  {\"name\": \"a\" \"function\": \"echo\"}]}", "graph_json");
  ASSERT_EQ(parsed.problems.size(), 1u);
  EXPECT_EQ(parsed.problems[0].where, "graph_json");
  EXPECT_TRUE(parsed.problems[0].message.starts_with(
      "the graph is not valid JSON: line 2, column 25: syntax error while parsing object"))
      << parsed.problems[0].message;
  EXPECT_NE(parsed.problems[0].message.find("expected '}'"), std::string::npos)
      << parsed.problems[0].message;
}

TEST(GraphText, InvalidUtf8SaysTheByteOffset) {
  auto parsed = engine::parse_graph_text("{\"nodes\": [\"\xc3\x28\"]}", "graph_json");
  ASSERT_EQ(parsed.problems.size(), 1u);
  EXPECT_EQ(
      parsed.problems[0].to_string(),
      "graph_json: the graph is not valid JSON: line 1, column 13: not valid UTF-8 at byte 12 "
      "(byte value 195)");
}

}  // namespace
}  // namespace agdf::test
