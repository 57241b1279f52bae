// The operator's limits on one request, each refusal naming the limit and its flag.

#include <gtest/gtest.h>

#include <limits>

#include "agdf/limits/principal_runs.hpp"
#include "agdf/limits/request_limits.hpp"

namespace agdf::limits {
namespace {

engine::GraphSpec graph(int nodes, std::int64_t max_tasks = 1, std::int64_t queue_size = 10) {
  engine::GraphSpec spec;
  for (int i = 0; i < nodes; ++i) {
    engine::NodeSpec node;
    node.name = "n";
    node.name += std::to_string(i);
    node.function = "echo";
    node.max_tasks = max_tasks;
    node.queue_size = queue_size;
    spec.nodes.push_back(node);
  }
  return spec;
}

std::vector<std::string> messages(const engine::Problems& problems) {
  std::vector<std::string> out;
  for (const auto& p : problems) out.push_back(p.where + ": " + p.message);
  return out;
}

RequestLimits small() {
  RequestLimits limits;
  limits.max_graph_bytes = 100;
  limits.max_nodes = 3;
  limits.max_preloaded_items = 4;
  limits.max_tasks_per_node = 4;
  limits.max_tasks_per_run = 6;
  limits.max_queue_size_per_node = 50;
  limits.max_queue_size_per_run = 80;
  return limits;
}

TEST(RequestLimits, AGraphWithinEveryLimitHasNoProblem) {
  EXPECT_TRUE(check_graph(graph(3, 2, 20), small()).empty());
  EXPECT_EQ(graph_bytes_problem(100, small()), std::nullopt);
}

TEST(RequestLimits, GraphBytesNameTheirFlag) {
  EXPECT_EQ(graph_bytes_problem(101, small()),
            "the graph's size in bytes, 101 is over the limit of 100 (--max-graph-bytes)");
}

TEST(RequestLimits, TooManyNodes) {
  EXPECT_EQ(messages(check_graph(graph(4), small())),
            std::vector<std::string>{
                "graph: the number of nodes, 4 is over the limit of 3 (--max-nodes)"});
}

TEST(RequestLimits, MaxTasksPerNodeAndPerRun) {
  auto spec = graph(2, 3);
  spec.nodes[0].max_tasks = 5;
  EXPECT_EQ(messages(check_graph(spec, small())),
            (std::vector<std::string>{
                "node 'n0': max_tasks 5 is over the limit of 4 (--max-tasks-per-node)",
                "graph: max_tasks summed over the nodes, 8 is over the limit of 6 "
                "(--max-tasks-per-run)"}));
}

TEST(RequestLimits, QueueSizePerNodeAndPerRun) {
  auto spec = graph(2, 1, 45);
  spec.nodes[1].queue_size = 51;
  EXPECT_EQ(messages(check_graph(spec, small())),
            (std::vector<std::string>{
                "node 'n1': queue_size 51 is over the limit of 50 (--max-queue-size-per-node)",
                "graph: queue_size summed over the nodes, 96 is over the limit of 80 "
                "(--max-queue-size-per-run)"}));
}

TEST(RequestLimits, PreloadedItemsAreCountedOverEveryQueue) {
  engine::Plan plan;
  plan.nodes.resize(2);
  plan.nodes[0].queue.preload = {1, 2, 3};
  plan.nodes[1].queue.preload = {4};
  EXPECT_TRUE(check_plan(plan, small()).empty());
  plan.nodes[1].queue.preload.push_back(5);
  EXPECT_EQ(messages(check_plan(plan, small())),
            std::vector<std::string>{"graph: the number of preloaded items, 5 is over the limit "
                                     "of 4 (--max-preloaded-items)"});
}

TEST(RequestLimits, ValuesPastTheFormatsBoundsAreValidationsToReport) {
  // Validation says "must be at most 10000"; a limit repeating it, or adding such values
  // into a per-run sum that wraps, would only confuse.
  auto spec =
      graph(3, std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::max());
  EXPECT_TRUE(check_graph(spec, small()).empty());
  EXPECT_TRUE(check_graph(graph(10'001), small()).empty());
}

TEST(RequestLimits, ANameTooLongToRepeatIsAnIndex) {
  auto spec = graph(1, 5);
  spec.nodes[0].name = std::string(100'000, 'n');
  EXPECT_EQ(messages(check_graph(spec, small())),
            (std::vector<std::string>{
                "nodes[0]: max_tasks 5 is over the limit of 4 (--max-tasks-per-node)"}));
  spec.nodes[0].name = std::string(200, 'n');
  EXPECT_EQ(messages(check_graph(spec, small())),
            (std::vector<std::string>{"node '" + std::string(64, 'n') +
                                      "... (200 bytes)': max_tasks 5 is over the limit of 4 "
                                      "(--max-tasks-per-node)"}));
}

TEST(PrincipalRuns, CountsEachPrincipalApartUpToTheLimit) {
  PrincipalRuns runs(2);
  EXPECT_EQ(runs.try_add("alice"), std::nullopt);
  EXPECT_EQ(runs.try_add("alice"), std::nullopt);
  EXPECT_EQ(runs.try_add("bob"), std::nullopt);
  EXPECT_EQ(runs.try_add("alice"),
            "'alice' already has 2 runs running or queued, the limit (--max-runs-per-principal 2); "
            "wait for one to finish");
  EXPECT_EQ(runs.count("alice"), 2u);
  runs.remove("alice");
  EXPECT_EQ(runs.try_add("alice"), std::nullopt);
  EXPECT_NE(PrincipalRuns(0).try_add("")->find("the anonymous caller"), std::string::npos);
}

}  // namespace
}  // namespace agdf::limits
