// Several runs in one process at once, on a multi-threaded io_context: each run has
// its own strand, queues and counters, so none disturbs another.
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "engine/run_harness.hpp"
#include "engine/test_functions.hpp"

namespace agdf::test {
namespace {

using engine::NodeStats;
using engine::RunStatus;

TEST(ConcurrentRuns, RunsOnAThreadPoolKeepIndependentStats) {
  Registry registry = builtin_registry();
  auto counting =
      plan_of(R"({"nodes": [{"name": "src", "function": "range", "config": {"stop": 2000}},
      {"name": "work", "function": "sleep", "config": {"ms": 0}, "max_tasks": 4},
      {"name": "sink", "function": "discard"}],
      "edges": [["src", "work"], ["work", "sink"]]})",
              registry);
  auto failing =
      plan_of(R"({"nodes": [{"name": "src", "function": "range", "config": {"stop": 1500}},
      {"name": "work", "function": "fail_if", "config": {"values": [3, 5, 8]}, "max_tasks": 3},
      {"name": "sink", "function": "repeat", "config": {"times": 2}}],
      "edges": [["src", "work"], ["work", "sink"]]})",
              registry);

  std::vector<std::shared_ptr<RecordingObserver>> runs;
  boost::asio::io_context io(2);
  boost::asio::thread_pool blocking(1);
  engine::Engine engine(io.get_executor(), blocking.get_executor());
  for (std::size_t i = 0; i < 4; ++i) {
    runs.push_back(std::make_shared<RecordingObserver>());
    engine.start(i % 2 == 0 ? counting : failing, engine::RunOptions(), runs.back());
  }
  std::thread second([&io] { io.run_for(kRunTimeout); });
  io.run_for(kRunTimeout);
  second.join();
  blocking.join();

  for (std::size_t i = 0; i < runs.size(); ++i) {
    SCOPED_TRACE("run " + std::to_string(i));
    const Recording& run = runs[i]->recording();
    ASSERT_TRUE(run.result);
    EXPECT_EQ(run.status(), RunStatus::completed);
    if (i % 2 == 0) {
      EXPECT_EQ(run.stats("src"), (NodeStats{.in = 0, .out = 2000, .err = 0}));
      EXPECT_EQ(run.stats("work"), (NodeStats{.in = 2000, .out = 2000, .err = 0}));
      EXPECT_EQ(run.stats("sink"), (NodeStats{.in = 2000, .out = 0, .err = 0}));
    } else {
      EXPECT_EQ(run.stats("work"), (NodeStats{.in = 1500, .out = 1497, .err = 3}));
      EXPECT_EQ(run.stats("sink"), (NodeStats{.in = 1497, .out = 2994, .err = 0}));
      EXPECT_EQ(run.node("work").errors.size(), 3u);
    }
  }
}

TEST(ConcurrentRuns, CancellingOneRunLeavesTheOtherRunning) {
  Registry registry = builtin_registry();
  auto endless = plan_of(
      R"({"nodes": [{"name": "nap", "function": "sleep", "config": {"ms": 60000}}]})", registry);
  auto quick = plan_of(R"({"nodes": [{"name": "src", "function": "range", "config": {"stop": 300}},
      {"name": "work", "function": "sleep", "config": {"ms": 1}, "max_tasks": 2}],
      "edges": [["src", "work"]]})",
                       registry);

  boost::asio::io_context io(2);
  boost::asio::thread_pool blocking(1);
  engine::Engine engine(io.get_executor(), blocking.get_executor());
  auto endless_observer = std::make_shared<RecordingObserver>();
  auto quick_observer = std::make_shared<RecordingObserver>();
  auto endless_run = engine.start(endless, engine::RunOptions(), endless_observer);
  // The quick run's end cancels the endless one, from the quick run's strand.
  quick_observer->on_finished_hook = [endless_run](const engine::RunResult&) {
    endless_run->cancel();
  };
  engine.start(quick, engine::RunOptions(), quick_observer);
  endless_run.reset();
  std::thread second([&io] { io.run_for(kRunTimeout); });
  io.run_for(kRunTimeout);
  second.join();
  blocking.join();

  ASSERT_TRUE(quick_observer->recording().result);
  EXPECT_EQ(quick_observer->recording().status(), RunStatus::completed);
  EXPECT_EQ(quick_observer->recording().stats("work"),
            (NodeStats{.in = 300, .out = 300, .err = 0}));
  ASSERT_TRUE(endless_observer->recording().result);
  EXPECT_EQ(endless_observer->recording().status(), RunStatus::cancelled);
}

}  // namespace
}  // namespace agdf::test
