// Cancellation from outside: prompt (calls in progress are cut short, not waited for),
// reported as status cancelled, and the run's memory is released.
#include <future>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "agdf/engine/validate.hpp"
#include "engine/run_harness.hpp"
#include "engine/test_functions.hpp"

namespace agdf::test {
namespace {

using engine::NodeStats;
using engine::RunStatus;
using namespace std::chrono_literals;

/// An io_context served by `threads` threads until the test has what it needs.
class Threads {
 public:
  explicit Threads(int threads) : io_(threads), work_(io_.get_executor()) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { io_.run(); });
  }
  ~Threads() { join(); }

  /// Lets the threads return once no work is left, and waits for them.
  void join() {
    work_.reset();
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }

  boost::asio::io_context& io() { return io_; }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
};

TEST(Cancellation, ARunOfLongSleepsCancelledFromOutsideEndsPromptlyAsCancelled) {
  // Three tasks each sleep a minute per item; 10 items would take over three minutes.
  auto plan = plan_of(R"({"nodes": [{"name": "src", "function": "range", "config": {"stop": 10}},
      {"name": "nap", "function": "sleep", "config": {"ms": 60000}, "max_tasks": 3},
      {"name": "after", "function": "echo"}],
      "edges": [["src", "nap"], ["nap", "after"]]})",
                      builtin_registry());
  std::promise<void> all_sleeping;
  std::promise<void> finished;
  auto observer = std::make_shared<RecordingObserver>();
  bool told = false;
  observer->on_stats_hook = [&](std::span<const engine::NodeSnapshot> nodes) {
    for (const auto& n : nodes)
      if (n.name == "nap" && n.active_calls == 3 && !told) told = true, all_sleeping.set_value();
  };
  observer->on_finished_hook = [&](const engine::RunResult&) { finished.set_value(); };
  engine::RunOptions options;
  options.stats_interval = 5ms;

  Threads threads(2);
  boost::asio::thread_pool blocking(1);
  engine::Engine engine(threads.io().get_executor(), blocking.get_executor());
  auto handle = engine.start(plan, options, observer);
  std::weak_ptr<engine::RunHandle> weak = handle;

  ASSERT_EQ(all_sleeping.get_future().wait_for(kRunTimeout), std::future_status::ready);
  handle->cancel();
  handle.reset();
  // Far less than the minute a sleep lasts: cancellation does not wait for calls to end.
  ASSERT_EQ(finished.get_future().wait_for(kRunTimeout), std::future_status::ready);
  threads.join();
  blocking.join();

  const Recording& run = observer->recording();
  EXPECT_EQ(run.status(), RunStatus::cancelled);
  EXPECT_EQ(run.finished_calls, 1);
  EXPECT_EQ(run.stats("src"), (NodeStats{.in = 0, .out = 10, .err = 0}));
  EXPECT_EQ(run.stats("nap"),
            (NodeStats{.in = 10, .out = 0, .err = 0}));  // no error for being cut short
  EXPECT_EQ(run.stats("after"), (NodeStats{}));
  EXPECT_TRUE(weak.expired()) << "the run (its tasks, queues and items) is still alive";
}

TEST(Cancellation, CancelIsPromptWhenAProducerIsPausedOnAFullQueue) {
  std::shared_ptr<engine::RunHandle> handle;
  Registry registry = builtin_registry();
  registry.add(blocker("block", [&handle] {
    if (handle) handle->cancel();  // cancel as soon as the consumer holds an item
  }));
  auto plan = plan_of(R"({"nodes": [{"name": "src", "function": "range", "config": {"stop": 1000}},
      {"name": "b", "function": "block", "queue_size": 2}], "edges": [["src", "b"]]})",
                      registry);
  auto observer = std::make_shared<RecordingObserver>();

  boost::asio::io_context io(1);
  boost::asio::thread_pool blocking(1);
  engine::Engine engine(io.get_executor(), blocking.get_executor());
  handle = engine.start(plan, engine::RunOptions(), observer);
  std::weak_ptr<engine::RunHandle> weak = handle;
  io.run_for(kRunTimeout);
  handle.reset();
  blocking.join();

  const Recording& run = observer->recording();
  ASSERT_TRUE(run.result) << "not finished within the safety timeout";
  EXPECT_EQ(run.status(), RunStatus::cancelled);
  EXPECT_LE(run.stats("b").in, 3u);  // one in the call, two queued, the producer paused
  EXPECT_EQ(run.stats("b").err, 0u);
  EXPECT_TRUE(weak.expired());
}

TEST(Cancellation, CancelAfterTheEndChangesNothing) {
  auto plan =
      plan_of(R"({"nodes": [{"name": "a", "function": "values", "config": {"values": [1]}}]})",
              builtin_registry());
  auto observer = std::make_shared<RecordingObserver>();
  boost::asio::io_context io(1);
  boost::asio::thread_pool blocking(1);
  engine::Engine engine(io.get_executor(), blocking.get_executor());
  auto handle = engine.start(plan, engine::RunOptions(), observer);
  io.run_for(kRunTimeout);
  ASSERT_TRUE(observer->recording().result);

  handle->cancel();
  io.restart();
  io.run_for(kRunTimeout);
  blocking.join();

  EXPECT_EQ(observer->recording().status(), RunStatus::completed);
  EXPECT_EQ(observer->recording().finished_calls, 1);
}

TEST(Cancellation, AFinishedRunIsReleased) {
  auto plan = plan_of(R"({"nodes": [{"name": "a", "function": "range", "config": {"stop": 100}},
      {"name": "b", "function": "sleep", "config": {"ms": 1}, "max_tasks": 4}],
      "edges": [["a", "b"]]})",
                      builtin_registry());
  auto observer = std::make_shared<RecordingObserver>();
  boost::asio::io_context io(1);
  boost::asio::thread_pool blocking(1);
  engine::Engine engine(io.get_executor(), blocking.get_executor());
  std::weak_ptr<engine::RunHandle> weak = engine.start(plan, engine::RunOptions(), observer);
  io.run_for(kRunTimeout);
  blocking.join();

  ASSERT_TRUE(observer->recording().result);
  EXPECT_EQ(observer->recording().status(), RunStatus::completed);
  EXPECT_TRUE(weak.expired());
}

}  // namespace
}  // namespace agdf::test
