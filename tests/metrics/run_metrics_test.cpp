#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "agdf/engine/engine.hpp"
#include "agdf/engine/graph_file.hpp"
#include "agdf/engine/validate.hpp"
#include "agdf/metrics/run_metrics.hpp"
#include "agdf/nodes/builtin.hpp"

namespace agdf::metrics {
namespace {

/// Runs a graph file's text to the end with RunMetrics (and `stats_interval`) observing it.
void run_graph(const std::string& text, DaemonMetrics& metrics, FunctionSeriesCache& series,
               std::chrono::milliseconds stats_interval) {
  agdf::Registry functions;
  register_builtin_nodes(functions);
  auto validation = engine::validate(engine::parse_graph_text(text), functions);
  ASSERT_TRUE(validation.problems.empty()) << validation.problems.front().message;
  boost::asio::io_context io;
  boost::asio::thread_pool blocking(1);
  engine::Engine engine(io.get_executor(), blocking.get_executor());
  engine::RunOptions options;
  options.stats_interval = stats_interval;
  auto handle = engine.start(validation.plan, std::move(options),
                             std::make_shared<RunMetrics>(metrics, series, *validation.plan));
  io.run_for(std::chrono::seconds(20));
  blocking.join();
}

constexpr const char* kGraphWithErrors = R"({
  "nodes": [
    {"name": "extract", "function": "values", "config": {"values": ["a", "b", "c", "d", "e"]}},
    {"name": "transform", "function": "title_case"},
    {"name": "load", "function": "fail_if", "config": {"values": ["C", "E"]}},
    {"name": "also_load", "function": "fail_if", "config": {"values": []}}
  ],
  "edges": [["extract", "transform"], ["transform", "load"], ["transform", "also_load"]]
})";

class RunMetricsTest : public ::testing::TestWithParam<int> {};

TEST_P(RunMetricsTest, CountsPerFunctionEqualTheRunsFinalStatsWhateverTheSnapshots) {
  metrics::Registry registry;
  DaemonMetrics metrics(registry);
  FunctionSeriesCache series(metrics);
  run_graph(kGraphWithErrors, metrics, series, std::chrono::milliseconds(GetParam()));
  run_graph(kGraphWithErrors, metrics, series, std::chrono::milliseconds(GetParam()));
  // Two runs: load and also_load both run fail_if, so their counts add up.
  EXPECT_EQ(metrics.items_out.with({"values"}).value(), 10u);
  EXPECT_EQ(metrics.items_in.with({"title_case"}).value(), 10u);
  EXPECT_EQ(metrics.items_out.with({"title_case"}).value(), 10u);
  EXPECT_EQ(metrics.items_in.with({"fail_if"}).value(), 20u);
  EXPECT_EQ(metrics.items_out.with({"fail_if"}).value(), 16u);
  EXPECT_EQ(metrics.errors.with({"fail_if"}).value(), 4u);
  // Nothing is waiting or running once the runs are over.
  EXPECT_EQ(metrics.queue_depth.with({"fail_if"}).value(), 0);
  EXPECT_EQ(metrics.active_calls.with({"title_case"}).value(), 0);
  EXPECT_EQ(metrics.run_duration.with({"completed"}).cumulative_counts().back(), 2u);
}

// 0: no snapshots, only the final stats; 1 ms: many snapshots folded as deltas.
INSTANTIATE_TEST_SUITE_P(StatsIntervals, RunMetricsTest, ::testing::Values(0, 1));

TEST(RunMetrics, QueueDepthFollowsTheLatestSnapshotsOfARunningRun) {
  metrics::Registry registry;
  DaemonMetrics metrics(registry);
  FunctionSeriesCache series(metrics);
  agdf::Registry functions;
  register_builtin_nodes(functions);
  auto validation = engine::validate(engine::parse_graph_text(R"({"nodes": [
      {"name": "a", "function": "values", "config": {"values": [1, 2, 3]}},
      {"name": "b", "function": "sleep", "config": {"ms": 1}}], "edges": [["a", "b"]]})"),
                                     functions);
  ASSERT_TRUE(validation.problems.empty());
  RunMetrics observer(metrics, series, *validation.plan);
  observer.on_started({});
  engine::NodeSnapshot a{"a", {0, 3, 0}, 0, 0};
  engine::NodeSnapshot b{"b", {3, 1, 0}, 2, 1};
  observer.on_stats(std::vector{a, b});
  EXPECT_EQ(metrics.queue_depth.with({"sleep"}).value(), 2);
  EXPECT_EQ(metrics.active_calls.with({"sleep"}).value(), 1);
  EXPECT_EQ(metrics.items_out.with({"sleep"}).value(), 1u);
  b = {"b", {3, 3, 0}, 0, 0};
  observer.on_stats(std::vector{a, b});
  EXPECT_EQ(metrics.queue_depth.with({"sleep"}).value(), 0);
  EXPECT_EQ(metrics.items_out.with({"sleep"}).value(), 3u);
}

}  // namespace
}  // namespace agdf::metrics
