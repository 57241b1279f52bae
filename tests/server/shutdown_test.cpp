// SIGTERM/SIGINT: stop accepting, let runs finish within the grace period, cancel the
// rest, tell the watchers, exit 0.
#include <signal.h>

#include <chrono>

#include "grpc/health/v1/health.grpc.pb.h"
#include "server/daemon_fixture.hpp"

namespace agdf::testing {
namespace {

using DaemonShutdown = DaemonTest;
using HealthStatus = grpc::health::v1::HealthCheckResponse;

constexpr auto kExitTimeout = std::chrono::seconds(30);

/// A WatchRun stream read up to its RunStarted event.
struct OpenWatch {
  std::unique_ptr<grpc::ClientContext> context = call_context();
  std::unique_ptr<grpc::ClientReader<v1::RunEvent>> reader;

  OpenWatch(v1::Agdf::Stub& stub, const std::string& id) {
    v1::WatchRunRequest request;
    request.set_run_id(id);
    reader = stub.WatchRun(context.get(), request);
    v1::RunEvent event;
    EXPECT_TRUE(reader->Read(&event) && event.has_started());
  }

  /// Reads to the end of the stream; the final state (UNSPECIFIED without RunFinished).
  v1::RunState final_state() {
    v1::RunEvent event, last;
    while (reader->Read(&event)) last = event;
    EXPECT_TRUE(reader->Finish().ok());
    return last.has_finished() ? last.finished().state() : v1::RUN_STATE_UNSPECIFIED;
  }
};

TEST_F(DaemonShutdown, SigtermLetsRunsFinishWithinTheGracePeriodThenCancelsTheRest) {
  start_daemon({"--grace-period", "3"});
  OpenWatch quick(stub(), submit(R"({"nodes": [{"name": "wait", "function": "sleep",
                                                "config": {"ms": 1000}}]})"));
  OpenWatch slow(stub(), submit(sleeps_a_minute()));

  auto health = grpc::health::v1::Health::NewStub(daemon().channel());
  auto health_context = call_context();
  auto health_watch = health->Watch(health_context.get(), {});
  HealthStatus status;
  ASSERT_TRUE(health_watch->Read(&status));
  EXPECT_EQ(status.status(), HealthStatus::SERVING);

  daemon().send_signal(SIGTERM);

  // Health turns NOT_SERVING and submissions are refused ...
  bool not_serving = false;
  while (!not_serving && health_watch->Read(&status))
    not_serving = status.status() == HealthStatus::NOT_SERVING;
  EXPECT_TRUE(not_serving);
  health_context->TryCancel();
  v1::SubmitRunResponse response;
  auto context = call_context();
  EXPECT_EQ(
      stub().SubmitRun(context.get(), submission(range_to_discard(1)), &response).error_code(),
      grpc::StatusCode::UNAVAILABLE);

  // ... the run that fits in the grace period completes, the other is cancelled ...
  EXPECT_EQ(quick.final_state(), v1::RUN_STATE_COMPLETED);
  EXPECT_EQ(slow.final_state(), v1::RUN_STATE_CANCELLED);

  // ... and the daemon exits 0.
  EXPECT_EQ(daemon().wait_exit(kExitTimeout), 0);
}

TEST_F(DaemonShutdown, QueuedRunsAreCancelledAtOnce) {
  start_daemon({"--max-runs", "1", "--grace-period", "0"});
  OpenWatch running(stub(), submit(sleeps_a_minute()));
  const std::string queued = submit(range_to_discard(1));
  auto context = call_context();
  v1::WatchRunRequest request;
  request.set_run_id(queued);
  auto queued_watch = stub().WatchRun(context.get(), request);

  daemon().send_signal(SIGTERM);

  v1::RunEvent event;
  ASSERT_TRUE(queued_watch->Read(&event));
  ASSERT_TRUE(event.has_finished());
  EXPECT_EQ(event.finished().state(), v1::RUN_STATE_CANCELLED);
  EXPECT_FALSE(event.finished().failure().empty());
  EXPECT_FALSE(queued_watch->Read(&event));
  EXPECT_TRUE(queued_watch->Finish().ok());
  EXPECT_EQ(running.final_state(), v1::RUN_STATE_CANCELLED);
  EXPECT_EQ(daemon().wait_exit(kExitTimeout), 0);
}

TEST_F(DaemonShutdown, AClientKeepingItsConnectionOpenDoesNotHoldUpTheExit) {
  // A run watched to its end leaves this test's channel connected and idle.
  EXPECT_EQ(watch(stub(), submit(range_to_discard(1))).finished().state(), v1::RUN_STATE_COMPLETED);
  const auto signalled = std::chrono::steady_clock::now();
  daemon().send_signal(SIGTERM);
  EXPECT_EQ(daemon().wait_exit(kExitTimeout), 0);
  // Not the 1 s that gRPC's own shutdown deadline waits for idle clients to hang up.
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, std::chrono::milliseconds(900));
}

TEST_F(DaemonShutdown, SigintWithNothingRunningExitsZero) {
  daemon().send_signal(SIGINT);
  EXPECT_EQ(daemon().wait_exit(kExitTimeout), 0);
}

}  // namespace
}  // namespace agdf::testing
