// Many runs at once, and the limits on how many run and wait.
#include <algorithm>
#include <numeric>
#include <thread>

#include "server/daemon_fixture.hpp"

namespace agdf::testing {
namespace {

using DaemonConcurrency = DaemonTest;

/// range(count) -> sleep 100 ms (all items at once) -> echo, echo's items captured.
v1::SubmitRunRequest counted_run(int count) {
  v1::SubmitRunRequest request =
      submission(R"({"nodes": [{"name": "numbers", "function": "range", "config": {"stop": )" +
                 std::to_string(count) + R"(}},
                    {"name": "wait", "function": "sleep", "config": {"ms": 100}, "max_tasks": 100},
                    {"name": "out", "function": "echo"}],
          "edges": [["numbers", "wait"], ["wait", "out"]]})");
  request.add_capture("out");
  return request;
}

TEST_F(DaemonConcurrency, AHundredRunsAtOnceHaveCorrectIndependentResults) {
  constexpr int kRuns = 100;
  std::vector<std::string> ids;
  for (int i = 0; i < kRuns; ++i) ids.push_back(submit(counted_run(i + 1)));

  std::vector<Watched> results(kRuns);
  std::vector<std::thread> watchers;
  for (int t = 0; t < 10; ++t)
    watchers.emplace_back([&, t] {
      for (int i = t; i < kRuns; i += 10) results[i] = watch(stub(), ids[i]);
    });
  for (auto& w : watchers) w.join();

  for (int i = 0; i < kRuns; ++i) {
    SCOPED_TRACE("run " + std::to_string(i));
    const Watched& watched = results[i];
    ASSERT_TRUE(watched.status.ok()) << watched.status.error_message();
    const auto& finished = watched.finished();
    EXPECT_EQ(finished.state(), v1::RUN_STATE_COMPLETED);
    const std::string n = std::to_string(i + 1);
    EXPECT_EQ(counts(finished.stats(), "numbers"), "0/" + n + "/0");
    EXPECT_EQ(counts(finished.stats(), "wait"), n + "/" + n + "/0");
    EXPECT_EQ(counts(finished.stats(), "out"), n + "/" + n + "/0");
    std::vector<int> items;
    for (const auto& event : watched.events) {
      if (!event.has_output()) continue;
      EXPECT_EQ(event.run_id(), ids[i]);
      items.push_back(std::stoi(event.output().item_json()));
    }
    std::sort(items.begin(), items.end());
    std::vector<int> expected(static_cast<std::size_t>(i + 1));
    std::iota(expected.begin(), expected.end(), 0);
    EXPECT_EQ(items, expected);
  }
}

TEST_F(DaemonConcurrency, RunsBeyondMaxRunsQueueAndBeyondTheQueueAreRefused) {
  start_daemon({"--max-runs", "1", "--max-queued-runs", "1"});
  auto submit_raw = [&](const std::string& graph, v1::SubmitRunResponse& response) {
    auto context = call_context();
    return stub().SubmitRun(context.get(), submission(graph), &response);
  };

  v1::SubmitRunResponse first, second, third;
  ASSERT_TRUE(submit_raw(sleeps_a_minute(), first).ok());
  EXPECT_EQ(first.state(), v1::RUN_STATE_RUNNING);
  ASSERT_TRUE(submit_raw(range_to_discard(5), second).ok());
  EXPECT_EQ(second.state(), v1::RUN_STATE_QUEUED);

  grpc::Status refused = submit_raw(range_to_discard(5), third);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(refused.error_message().find("--max-runs 1"), std::string::npos)
      << refused.error_message();
  EXPECT_NE(refused.error_message().find("--max-queued-runs 1"), std::string::npos);

  v1::GetRunRequest get;
  get.set_run_id(second.run_id());
  v1::RunInfo info;
  auto context = call_context();
  ASSERT_TRUE(stub().GetRun(context.get(), get, &info).ok());
  EXPECT_EQ(info.state(), v1::RUN_STATE_QUEUED);

  // Freeing the slot starts the queued run.
  v1::CancelRunRequest cancel;
  cancel.set_run_id(first.run_id());
  v1::CancelRunResponse cancelled;
  auto context2 = call_context();
  ASSERT_TRUE(stub().CancelRun(context2.get(), cancel, &cancelled).ok());
  Watched watched = watch(stub(), second.run_id());
  EXPECT_TRUE(watched.events.front().has_started());
  EXPECT_EQ(watched.finished().state(), v1::RUN_STATE_COMPLETED);
  EXPECT_EQ(counts(watched.finished().stats(), "numbers"), "0/5/0");

  // With the slot free again, the next run starts at once.
  v1::SubmitRunResponse fourth;
  ASSERT_TRUE(submit_raw(range_to_discard(2), fourth).ok());
  EXPECT_EQ(fourth.state(), v1::RUN_STATE_RUNNING);
}

}  // namespace
}  // namespace agdf::testing
