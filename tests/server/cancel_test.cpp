// CancelRun on running, queued and finished runs.
#include "server/daemon_fixture.hpp"

namespace agdf::testing {
namespace {

using DaemonCancel = DaemonTest;

v1::CancelRunResponse cancel(v1::Agdf::Stub& stub, const std::string& id) {
  v1::CancelRunRequest request;
  request.set_run_id(id);
  v1::CancelRunResponse response;
  auto context = call_context();
  grpc::Status status = stub.CancelRun(context.get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response;
}

TEST_F(DaemonCancel, StopsARunningRunAndItsWatcherSeesTheEnd) {
  const std::string id = submit(sleeps_a_minute());
  auto context = call_context();
  v1::WatchRunRequest request;
  request.set_run_id(id);
  auto reader = stub().WatchRun(context.get(), request);
  v1::RunEvent event;
  ASSERT_TRUE(reader->Read(&event));
  ASSERT_TRUE(event.has_started());

  EXPECT_EQ(cancel(stub(), id).state(), v1::RUN_STATE_CANCELLED);

  std::vector<v1::RunEvent> rest;
  while (reader->Read(&event)) rest.push_back(event);
  EXPECT_TRUE(reader->Finish().ok());
  ASSERT_FALSE(rest.empty());
  ASSERT_TRUE(rest.back().has_finished());
  EXPECT_EQ(rest.back().finished().state(), v1::RUN_STATE_CANCELLED);
  EXPECT_EQ(counts(rest.back().finished().stats(), "wait"), "0/0/0");
}

TEST_F(DaemonCancel, AQueuedRunEndsWithoutStarting) {
  start_daemon({"--max-runs", "1"});
  const std::string running = submit(sleeps_a_minute());
  const std::string queued = submit(sleeps_a_minute());

  EXPECT_EQ(cancel(stub(), queued).state(), v1::RUN_STATE_CANCELLED);
  Watched watched = watch(stub(), queued);
  ASSERT_EQ(watched.events.size(), 1u);
  EXPECT_EQ(watched.events[0].seq(), 1u);
  EXPECT_EQ(watched.finished().state(), v1::RUN_STATE_CANCELLED);

  v1::GetRunRequest get;
  get.set_run_id(running);
  v1::RunInfo info;
  auto context = call_context();
  ASSERT_TRUE(stub().GetRun(context.get(), get, &info).ok());
  EXPECT_EQ(info.state(), v1::RUN_STATE_RUNNING);
}

TEST_F(DaemonCancel, AFinishedRunKeepsItsFinalState) {
  const std::string id = submit(range_to_discard(3));
  watch(stub(), id);
  EXPECT_EQ(cancel(stub(), id).state(), v1::RUN_STATE_COMPLETED);
}

}  // namespace
}  // namespace agdf::testing
