// What a run reports while it goes: data-flow log lines in the reference format,
// stats snapshots only when something changed, captured outputs, node log lines.
#include <gtest/gtest.h>

#include "engine/run_harness.hpp"

namespace agdf::test {
namespace {

using engine::NodeStats;
using namespace std::chrono_literals;

constexpr const char* kEtl = R"({"nodes": [
    {"name": "extract", "function": "values", "config": {"values": ["a", "b"], "delay_ms": 30}},
    {"name": "transform", "function": "title_case"},
    {"name": "load", "function": "discard"}],
    "edges": [["extract", "transform"], ["transform", "load"]]})";

TEST(DataFlowLog, IsOffByDefault) {
  auto run = run_graph(kEtl);
  EXPECT_TRUE(run.logs.empty());
}

TEST(DataFlowLog, LogsEveryNodeInTheReferenceFormatOnceMoreAtTheEnd) {
  engine::RunOptions options;
  options.data_flow_log.enabled = true;  // default interval: a minute, so only the end

  auto run = run_graph(kEtl, options);

  EXPECT_EQ(run.logs, (std::vector<std::pair<std::string, std::string>>{
                          {"extract", " extract - in=0, out=2, err=0"},
                          {"transform", " transform - in=2, out=2, err=0"},
                          {"load", " load - in=2, out=0, err=0"}}));
}

TEST(DataFlowLog, LogsEveryIntervalOnlyTheFilteredNodes) {
  engine::RunOptions options;
  options.data_flow_log.enabled = true;
  options.data_flow_log.interval = 5ms;  // the run lasts at least 60 ms
  options.data_flow_log.nodes = {"transform"};

  auto run = run_graph(kEtl, options);

  ASSERT_GE(run.logs.size(), 2u);  // periodic lines, then the final one
  for (const auto& [node, line] : run.logs) {
    EXPECT_EQ(node, "transform");
    EXPECT_TRUE(line.starts_with(" transform - in=")) << line;
  }
  EXPECT_EQ(run.logs.back().second, " transform - in=2, out=2, err=0");
  EXPECT_EQ(run.logs.front().second.substr(0, 21), " transform - in=0, ou")
      << "the first periodic line comes before the first item (at 30 ms)";
}

TEST(DataFlowLog, FormatIsConfigurable) {
  engine::RunOptions options;
  options.data_flow_log.enabled = true;
  options.data_flow_log.format = "{node}: {in}/{out}/{err}";
  options.data_flow_log.nodes = {"load"};

  auto run = run_graph(kEtl, options);

  EXPECT_EQ(run.logs_of("load"), (std::vector<std::string>{"load: 2/0/0"}));
}

TEST(StatsSnapshots, AreSentOnlyWhenACountChangedAndOnceAtTheEnd) {
  engine::RunOptions options;
  options.stats_interval = 2ms;  // many ticks during the 30 ms pauses of extract

  auto run = run_graph(kEtl, options);

  ASSERT_GE(run.snapshots.size(), 2u);
  auto counts = [](const std::vector<engine::NodeSnapshot>& snapshot) {
    std::vector<NodeStats> stats;
    for (const auto& n : snapshot) stats.push_back(n.stats);
    return stats;
  };
  // Every snapshot but the final one differs from the one before it.
  std::vector<NodeStats> previous(3);
  for (std::size_t i = 0; i + 1 < run.snapshots.size(); ++i) {
    EXPECT_NE(counts(run.snapshots[i]), previous) << "snapshot " << i << " repeats the last one";
    previous = counts(run.snapshots[i]);
  }
  // ...and since counts change only four times in about 60 ms, most ticks sent nothing.
  EXPECT_LE(run.snapshots.size(), 8u);
  const auto& last = run.snapshots.back();
  ASSERT_EQ(last.size(), 3u);
  EXPECT_EQ(last[0].name, "extract");
  EXPECT_EQ(last[1].stats, (NodeStats{.in = 2, .out = 2, .err = 0}));
  EXPECT_EQ(last[2].stats, run.stats("load"));
  for (const auto& n : last) {
    EXPECT_EQ(n.queued, 0u);
    EXPECT_EQ(n.active_calls, 0u);
  }
}

TEST(StatsSnapshots, AreOffByDefault) {
  auto run = run_graph(kEtl);
  EXPECT_TRUE(run.snapshots.empty());
}

TEST(Capture, PassesTheYieldsOfCapturedNodesInOrder) {
  engine::RunOptions options;
  options.capture = {"transform"};

  auto run = run_graph(kEtl, options);

  EXPECT_EQ(run.outputs,
            (std::vector<std::pair<std::string, Item>>{{"transform", "A"}, {"transform", "B"}}));
}

TEST(NodeLog, LinesFromAFunctionAreAttributedToItsNode) {
  auto run = run_graph(R"({"nodes": [{"name": "src", "function": "values",
      "config": {"values": ["x", {"$tuple": [1, "y"]}]}}, {"name": "show", "function": "print",
      "unpack_input": false}], "edges": [["src", "show"]]})");

  EXPECT_EQ(run.logs_of("show"), (std::vector<std::string>{"x", "(1, \"y\")"}));
  EXPECT_EQ(run.stats("show"), (NodeStats{.in = 2, .out = 2, .err = 0}));
}

TEST(Started, TheObserverHearsOfTheStartFirstAndTheEndOnce) {
  auto run = run_graph(kEtl);
  ASSERT_EQ(run.started.size(), 1u);
  EXPECT_EQ(run.started[0].node, "extract");
  EXPECT_EQ(run.finished_calls, 1);
}

}  // namespace
}  // namespace agdf::test
