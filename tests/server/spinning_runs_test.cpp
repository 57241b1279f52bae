// Runs whose functions never wait, through the real daemon: they can be cancelled, they do
// not starve other runs of the pool's threads, and SIGTERM still ends the daemon. A call
// blocked in offloaded code that ignores cancellation does not keep the daemon alive.
#include <signal.h>
#include <sys/stat.h>

#include <filesystem>
#include <thread>

#include "server/daemon_fixture.hpp"

namespace agdf::testing {
namespace {

namespace fs = std::filesystem;
using SpinningRuns = DaemonTest;
using namespace std::chrono_literals;

constexpr auto kExitTimeout = std::chrono::seconds(30);

/// `range` into nothing, 10^12 items: it spins until cancelled.
constexpr const char* kSpinning = R"({"nodes": [
    {"name": "spin", "function": "range", "config": {"stop": 1000000000000}}]})";

/// Polls GetRun until the run's `node` has yielded something; false after the deadline.
bool wait_for_progress(v1::Agdf::Stub& stub, const std::string& run_id, const std::string& node) {
  const auto deadline = std::chrono::steady_clock::now() + kCallTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto context = call_context();
    v1::GetRunRequest request;
    request.set_run_id(run_id);
    v1::RunInfo info;
    if (stub.GetRun(context.get(), request, &info).ok())
      for (const auto& s : info.stats())
        if (s.node() == node && s.out() > 0) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

v1::RunState cancel(v1::Agdf::Stub& stub, const std::string& run_id) {
  auto context = call_context();
  v1::CancelRunRequest request;
  request.set_run_id(run_id);
  v1::CancelRunResponse response;
  grpc::Status status = stub.CancelRun(context.get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.state();
}

TEST_F(SpinningRuns, CancelRunStopsARunWhoseFunctionsNeverWait) {
  const std::string id = submit(kSpinning);
  ASSERT_TRUE(wait_for_progress(stub(), id, "spin")) << "its stats never moved";
  EXPECT_EQ(cancel(stub(), id), v1::RUN_STATE_CANCELLED);
}

TEST_F(SpinningRuns, ATinyRunFinishesWhileTwoSpinningRunsHoldBothThreads) {
  start_daemon({"--threads", "2"});
  const std::string first = submit(kSpinning);
  const std::string second = submit(kSpinning);
  ASSERT_TRUE(wait_for_progress(stub(), first, "spin"));
  ASSERT_TRUE(wait_for_progress(stub(), second, "spin"));

  Watched tiny = watch(stub(), submit(range_to_discard(3)));
  EXPECT_EQ(tiny.finished().state(), v1::RUN_STATE_COMPLETED);
  EXPECT_EQ(counts(tiny.finished().stats(), "sink"), "3/0/0");

  EXPECT_EQ(cancel(stub(), first), v1::RUN_STATE_CANCELLED);
  EXPECT_EQ(cancel(stub(), second), v1::RUN_STATE_CANCELLED);
}

TEST_F(SpinningRuns, SigtermEndsTheDaemonWithASpinningRun) {
  start_daemon({"--grace-period", "0.2"});
  const std::string id = submit(kSpinning);
  ASSERT_TRUE(wait_for_progress(stub(), id, "spin"));
  auto context = call_context();
  v1::WatchRunRequest request;
  request.set_run_id(id);
  auto reader = stub().WatchRun(context.get(), request);

  daemon().send_signal(SIGTERM);

  v1::RunEvent event, last;
  while (reader->Read(&event)) last = event;
  ASSERT_TRUE(last.has_finished());
  EXPECT_EQ(last.finished().state(), v1::RUN_STATE_CANCELLED);
  EXPECT_EQ(daemon().wait_exit(kExitTimeout), 0);
}

TEST_F(SpinningRuns, ACallBlockedInOffloadedCodeDoesNotKeepTheDaemonAlive) {
  // Opening a FIFO nobody writes to blocks in the blocking pool, where cancellation
  // cannot reach it.
  const fs::path data = fs::temp_directory_path() / ("agdf-fifo-" + std::to_string(::getpid()));
  fs::create_directories(data);
  ASSERT_EQ(::mkfifo((data / "pipe").c_str(), 0600), 0);
  start_daemon({"--grace-period", "0.1", "--data-dir", data.string()});
  const std::string id = submit(R"({"nodes": [
      {"name": "read", "function": "lines.read", "config": {"path": "pipe"}}]})");
  auto context = call_context();
  v1::WatchRunRequest request;
  request.set_run_id(id);
  auto reader = stub().WatchRun(context.get(), request);
  v1::RunEvent event;
  ASSERT_TRUE(reader->Read(&event) && event.has_started());

  daemon().send_signal(SIGTERM);

  v1::RunEvent last;
  while (reader->Read(&event)) last = event;
  ASSERT_TRUE(last.has_finished());
  EXPECT_EQ(last.finished().state(), v1::RUN_STATE_FAILED);
  EXPECT_NE(last.finished().failure().find("did not stop when cancelled"), std::string::npos)
      << last.finished().failure();
  EXPECT_EQ(daemon().wait_exit(kExitTimeout), 0);
  fs::remove_all(data);
}

}  // namespace
}  // namespace agdf::testing
