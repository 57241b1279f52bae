// Cancelling a run while its calls wait on blocking work (NodeContext::offload): the run
// ends cancelled once the work returns, and nothing of the cancellation outlives the call.
// Found by the hostile battery: a run of csv.read cancelled during a file read crashed the
// daemon (Asio 1.81's co_spawn hands the pool a pointer to a signal that may be gone).
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <thread>

#include "agdf/engine/engine.hpp"
#include "agdf/nodes/node_context.hpp"
#include "engine/run_harness.hpp"

namespace agdf::test {
namespace {

Registry with_slow_offload() {
  Registry registry = builtin_registry();
  registry.add({
      .name = "slow_offload",
      .description = "Blocks a pool thread for 5 ms, then yields its input.",
      .params = {{"item", std::nullopt}},
      .config_keys = {},
      .prepare =
          [](const Json&) {
            return bind_without_config(
                [](NodeContext& ctx, Args args) -> boost::asio::awaitable<void> {
                  auto work = [] {
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                    return 1;
                  };
                  co_await ctx.offload(std::move(work));
                  co_await ctx.emit(std::move(args[0]));
                });
          },
  });
  return registry;
}

TEST(OffloadCancel, ARunCancelledWhileItsCallsBlockOnThePoolEndsCancelled) {
  const Registry registry = with_slow_offload();
  auto plan = plan_of(R"({"nodes": [{"name": "src", "function": "range", "config": {"stop": 16}},
                                    {"name": "slow", "function": "slow_offload", "max_tasks": 8}],
                          "edges": [["src", "slow"]]})",
                      registry);
  for (int round = 0; round < 10; ++round) {
    auto observer = std::make_shared<RecordingObserver>();
    std::shared_ptr<engine::RunHandle> handle;
    observer->on_stats_hook = [&handle](std::span<const engine::NodeSnapshot> nodes) {
      for (const auto& node : nodes)
        if (node.active_calls > 0 && handle) handle->cancel();
    };
    boost::asio::io_context io(1);
    boost::asio::thread_pool blocking(1);  // one thread: cancellations queue behind the work
    engine::Engine engine(io.get_executor(), blocking.get_executor());
    engine::RunOptions options;
    options.stats_interval = std::chrono::milliseconds(1);
    handle = engine.start(plan, options, observer);
    io.run_for(kRunTimeout);
    handle.reset();  // the run's timers go before the io_context they belong to
    blocking.join();
    const Recording& run = observer->recording();
    ASSERT_TRUE(run.result) << "round " << round << ": not finished within the safety timeout";
    EXPECT_EQ(run.status(), engine::RunStatus::cancelled) << "round " << round;
  }
}

}  // namespace
}  // namespace agdf::test
