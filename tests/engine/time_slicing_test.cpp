// A run shares its thread even when its functions never wait: it yields after each time
// slice, so cancellation, stats timers and other runs get in. And a node starts consumer
// tasks only when it has work for them, so an unused max_tasks costs nothing.
#include <fstream>
#include <future>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "engine/run_harness.hpp"

namespace agdf::test {
namespace {

using engine::RunStatus;
using namespace std::chrono_literals;

/// A safety net for waits that normally end in milliseconds.
constexpr auto kPatience = 20s;

/// `range` into nothing: 10^12 items, none of whose calls ever waits.
constexpr const char* kSpinning = R"({"nodes": [
    {"name": "spin", "function": "range", "config": {"stop": 1000000000000}}]})";

/// Runs graphs on one io_context thread, as a loaded daemon thread would.
class OneThread {
 public:
  OneThread() : work_(io_.get_executor()), thread_([this] { io_.run(); }) {}
  ~OneThread() {
    work_.reset();
    thread_.join();
    blocking_.join();
  }

  /// Starts `graph_json`; `observer` sees what it reports.
  std::shared_ptr<engine::RunHandle> start(const char* graph_json,
                                           std::shared_ptr<engine::RunObserver> observer,
                                           std::chrono::milliseconds stats_interval = 10ms) {
    engine::RunOptions options;
    options.stats_interval = stats_interval;
    return engine_.start(plan_of(graph_json, builtin_registry()), options, std::move(observer));
  }

 private:
  boost::asio::io_context io_{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  boost::asio::thread_pool blocking_{1};
  engine::Engine engine_{io_.get_executor(), blocking_.get_executor()};
  std::thread thread_;
};

/// Keeps the `out` count of a node from each snapshot, and tells when the run ends.
struct Progress final : engine::RunObserver {
  explicit Progress(std::string node, std::size_t wanted_snapshots = 1)
      : node(std::move(node)), wanted(wanted_snapshots) {}

  void on_stats(std::span<const engine::NodeSnapshot> nodes) override {
    for (const auto& n : nodes)
      if (n.name == node && n.stats.out > 0) outs.push_back(n.stats.out);
    if (outs.size() == wanted) seen.set_value();
  }
  void on_finished(const engine::RunResult& r) override {
    result = r;
    finished.set_value();
  }

  std::string node;
  std::size_t wanted;
  std::vector<std::uint64_t> outs;
  std::promise<void> seen;
  std::promise<void> finished;
  engine::RunResult result;
};

TEST(TimeSlicing, ARunWhoseFunctionsNeverWaitIsCancelledPromptly) {
  OneThread thread;
  auto progress = std::make_shared<Progress>("spin");
  auto run = thread.start(kSpinning, progress);
  ASSERT_EQ(progress->seen.get_future().wait_for(kPatience), std::future_status::ready)
      << "no stats snapshot came while the run spun";

  run->cancel();

  ASSERT_EQ(progress->finished.get_future().wait_for(kPatience), std::future_status::ready)
      << "the spinning run did not stop when cancelled";
  EXPECT_EQ(progress->result.status, RunStatus::cancelled);
  EXPECT_GT(progress->result.nodes[0].stats.out, 0u);
}

TEST(TimeSlicing, StatsSnapshotsKeepComingWhileARunSpins) {
  OneThread thread;
  auto progress = std::make_shared<Progress>("spin", 3);
  auto run = thread.start(kSpinning, progress);

  ASSERT_EQ(progress->seen.get_future().wait_for(kPatience), std::future_status::ready);
  run->cancel();
  progress->finished.get_future().wait_for(kPatience);
  ASSERT_GE(progress->outs.size(), 3u);
  EXPECT_LT(progress->outs[0], progress->outs[1]);
  EXPECT_LT(progress->outs[1], progress->outs[2]);
}

TEST(TimeSlicing, ASpinningRunLetsAnotherRunOnTheSameThreadFinish) {
  OneThread thread;
  auto spinner = std::make_shared<Progress>("spin");
  auto spinning = thread.start(kSpinning, spinner);
  ASSERT_EQ(spinner->seen.get_future().wait_for(kPatience), std::future_status::ready);

  auto tiny = std::make_shared<Progress>("out");
  thread.start(R"({"nodes": [{"name": "src", "function": "values", "config": {"values": [1, 2, 3]}},
      {"name": "out", "function": "echo"}], "edges": [["src", "out"]]})",
               tiny);

  ASSERT_EQ(tiny->finished.get_future().wait_for(kPatience), std::future_status::ready)
      << "the spinning run starved the tiny one";
  EXPECT_EQ(tiny->result.status, RunStatus::completed);
  EXPECT_EQ(tiny->result.nodes[1].stats.out, 3u);
  auto spinner_done = spinner->finished.get_future();
  EXPECT_EQ(spinner_done.wait_for(0s), std::future_status::timeout) << "the spinner is still on";
  spinning->cancel();
  spinner_done.wait_for(kPatience);
}

TEST(TimeSlicing, ARepeatWithoutDelayIsCancellable) {
  OneThread thread;
  auto progress = std::make_shared<Progress>("copies");
  auto run = thread.start(R"({"nodes": [
      {"name": "src", "function": "values", "config": {"values": ["x"]}},
      {"name": "copies", "function": "repeat", "config": {"times": 1000000000000}},
      {"name": "sink", "function": "discard"}],
      "edges": [["src", "copies"], ["copies", "sink"]]})",
                          progress);
  ASSERT_EQ(progress->seen.get_future().wait_for(kPatience), std::future_status::ready);
  run->cancel();
  ASSERT_EQ(progress->finished.get_future().wait_for(kPatience), std::future_status::ready);
  EXPECT_EQ(progress->result.status, RunStatus::cancelled);
}

/// Peak resident memory since reset_peak_memory(), in bytes (Linux).
std::size_t peak_memory() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  return 0;
}

std::size_t resident_memory() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  return 0;
}

void reset_peak_memory() {
  std::ofstream("/proc/self/clear_refs") << "5";
}

TEST(LazyConsumers, ANodeRunsNoMoreCallsAtOnceThanItHasItems) {
  auto observer = std::make_shared<RecordingObserver>();
  engine::RunOptions options;
  options.stats_interval = 5ms;
  auto run = run_plan(plan_of(R"({"nodes": [
      {"name": "src", "function": "values", "config": {"values": [1, 2, 3]}},
      {"name": "nap", "function": "sleep", "config": {"ms": 100}, "max_tasks": 100000}],
      "edges": [["src", "nap"]]})",
                              builtin_registry()),
                      options, observer);
  EXPECT_EQ(run.status(), RunStatus::completed);
  std::uint64_t most_active = 0;
  for (const auto& snapshot : run.snapshots)
    for (const auto& node : snapshot)
      if (node.name == "nap") most_active = std::max(most_active, node.active_calls);
  EXPECT_EQ(most_active, 3u);
}

TEST(LazyConsumers, AnUnusedMaxTasksCostsNoMemory) {
  // Started up front, 100,000 consumer tasks would take tens of megabytes.
  const auto plan = plan_of(R"({"nodes": [
      {"name": "src", "function": "values", "config": {"values": [1]}},
      {"name": "wide", "function": "echo", "max_tasks": 100000}],
      "edges": [["src", "wide"]]})",
                            builtin_registry());
  const std::size_t before = resident_memory();
  reset_peak_memory();
  auto run = run_plan(plan);
  EXPECT_EQ(run.status(), RunStatus::completed);
  const std::size_t grew = peak_memory() > before ? peak_memory() - before : 0;
  EXPECT_LT(grew, 4u << 20) << "the run's peak memory grew by " << grew << " bytes";
}

}  // namespace
}  // namespace agdf::test
