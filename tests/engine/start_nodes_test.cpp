// Start nodes: by default the nodes without incoming edges, called once with no
// arguments; or the ones a run names, each with its argument tuple.
#include <gtest/gtest.h>

#include "engine/run_harness.hpp"
#include "engine/test_functions.hpp"

namespace agdf::test {
namespace {

using engine::NodeStats;
using engine::RunStatus;
using engine::StartCall;

std::vector<std::pair<std::string, Json::array_t>> calls_of(const std::vector<StartCall>& starts) {
  std::vector<std::pair<std::string, Json::array_t>> out;
  for (const auto& s : starts) out.emplace_back(s.node, s.args);
  return out;
}

using StartList = std::vector<std::pair<std::string, Json::array_t>>;

TEST(StartNodes, DefaultAreTheNodesWithoutIncomingEdgesCalledWithNoArguments) {
  auto a = std::make_shared<CallLog>();
  auto b = std::make_shared<CallLog>();
  Registry registry = builtin_registry();
  registry.add(recorder("rec_a", {}, a));
  registry.add(recorder("rec_b", {{"x", Json("default")}}, b));

  auto run = run_graph(R"({"nodes": [{"name": "join", "function": "echo"},
      {"name": "a", "function": "rec_a"}, {"name": "b", "function": "rec_b"}],
      "edges": [["a", "join"], ["b", "join"]]})",
                       registry);

  EXPECT_EQ(calls_of(run.started), (StartList{{"a", {}}, {"b", {}}}));
  EXPECT_EQ(calls_of(run.result->start_nodes), calls_of(run.started));
  EXPECT_EQ(a->calls, (std::vector<std::vector<Json>>{{}}));
  EXPECT_EQ(b->calls, (std::vector<std::vector<Json>>{{"default"}}));
  EXPECT_EQ(run.stats("join"), (NodeStats{.in = 2, .out = 2, .err = 0}));
}

TEST(StartNodes, ANamedStartNodeWithUpstreamNodesRunsAndItsUpstreamNeverDoes) {
  auto upstream = std::make_shared<CallLog>();
  Registry registry = builtin_registry();
  registry.add(recorder("rec", {}, upstream));

  auto run = run_graph(R"({"nodes": [{"name": "node1", "function": "rec"},
      {"name": "node2", "function": "echo", "config": {"then": ["data1"]}},
      {"name": "node3", "function": "echo"}],
      "edges": [["node1", "node2"], ["node2", "node3"]],
      "start_nodes": {"node2": ["new_data"]}})",
                       registry);

  EXPECT_EQ(run.status(), RunStatus::completed);
  EXPECT_TRUE(upstream->calls.empty());
  EXPECT_EQ(calls_of(run.started), (StartList{{"node2", {"new_data"}}}));
  EXPECT_EQ(run.stats("node1"), (NodeStats{}));
  EXPECT_EQ(run.stats("node2"), (NodeStats{.in = 0, .out = 2, .err = 0}));
  EXPECT_EQ(run.stats("node3"), (NodeStats{.in = 2, .out = 2, .err = 0}));
}

TEST(StartNodes, ArgumentsArePositionalAndNotCountedAsIn) {
  engine::RunOptions options;
  options.capture = {"node1", "node2"};
  auto run = run_graph(R"({"nodes": [
      {"name": "node1", "function": "template",
       "config": {"params": ["data"], "template": "node1 received: {data}"}},
      {"name": "node2", "function": "template",
       "config": {"params": ["greeting", "name"], "template": "{greeting}, {name}!"}},
      {"name": "node3", "function": "echo"}],
      "edges": [["node1", "node3"], ["node2", "node3"]],
      "start_nodes": {"node1": ["foo"], "node2": ["hello", "world"]}})",
                       options);

  EXPECT_EQ(calls_of(run.result->start_nodes),
            (StartList{{"node1", {"foo"}}, {"node2", {"hello", "world"}}}));
  EXPECT_EQ(run.stats("node1"), (NodeStats{.in = 0, .out = 1, .err = 0}));
  EXPECT_EQ(run.stats("node2"), (NodeStats{.in = 0, .out = 1, .err = 0}));
  EXPECT_EQ(run.stats("node3"), (NodeStats{.in = 2, .out = 2, .err = 0}));
  ASSERT_EQ(run.outputs.size(), 2u);
  EXPECT_EQ(run.outputs[0], (std::pair<std::string, Item>{"node1", "node1 received: foo"}));
  EXPECT_EQ(run.outputs[1], (std::pair<std::string, Item>{"node2", "hello, world!"}));
}

TEST(StartNodes, AStartArgumentIsPassedAsIsEvenWhenItIsATuple) {
  auto log = std::make_shared<CallLog>();
  Registry registry = builtin_registry();
  registry.add(recorder("rec", {{"a", std::nullopt}}, log));

  auto run = run_graph(R"({"nodes": [{"name": "n", "function": "rec"}],
      "start_nodes": {"n": [{"$tuple": [1, 2]}]}})",
                       registry);

  EXPECT_EQ(log->calls, (std::vector<std::vector<Json>>{{make_tuple({1, 2})}}));
}

TEST(StartNodes, WrongNumberOfStartArgumentsIsATypeError) {
  auto run = run_graph(R"({"nodes": [{"name": "n", "function": "echo"}],
      "start_nodes": {"n": ["a", "b"]}})");

  EXPECT_EQ(run.status(), RunStatus::completed);
  EXPECT_EQ(run.stats("n"), (NodeStats{.in = 0, .out = 0, .err = 1}));
  ASSERT_EQ(run.node("n").errors.size(), 1u);
  EXPECT_EQ(run.node("n").errors[0].type, "TypeError");
  EXPECT_EQ(run.node("n").errors[0].message, "echo() takes 1 positional argument but 2 were given");
}

TEST(StartNodes, NamingANodeTheGraphLacksIsAnErrorBeforeAnythingRuns) {
  auto problems = problems_of(R"({"nodes": [{"name": "a", "function": "echo"}],
      "start_nodes": {"x": []}})",
                              builtin_registry());

  EXPECT_EQ(problems,
            (std::vector<std::string>{"start_nodes: the graph doesn't have the node 'x'"}));
}

TEST(StartNodes, AGraphWithoutEdgesStartsEveryNodeConcurrently) {
  auto overlap = std::make_shared<Overlap>();
  overlap->target = 3;  // each call waits until all three nodes are running
  Registry registry = builtin_registry();
  registry.add(overlap_probe("probe", overlap));

  auto run = run_graph(R"({"nodes": [{"name": "node1", "function": "probe"},
      {"name": "node2", "function": "probe"}, {"name": "node3", "function": "probe"}]})",
                       registry);

  EXPECT_EQ(calls_of(run.started), (StartList{{"node1", {}}, {"node2", {}}, {"node3", {}}}));
  EXPECT_EQ(overlap->max_active, 3u);
  for (const char* node : {"node1", "node2", "node3"})
    EXPECT_EQ(run.stats(node), (NodeStats{.in = 0, .out = 1, .err = 0})) << node;
}

TEST(StartNodes, ANodeWithAnIncomingEdgeIsNotADefaultStartNode) {
  auto run = run_graph(R"({"nodes": [{"name": "b", "function": "print"},
      {"name": "a", "function": "values", "config": {"values": ["x"]}}],
      "edges": [["a", "b"]]})");

  EXPECT_EQ(calls_of(run.started), (StartList{{"a", {}}}));
  EXPECT_EQ(run.logs_of("b"), (std::vector<std::string>{"x"}));
}

}  // namespace
}  // namespace agdf::test
