// The run history as a client sees it, with real daemons on one state directory: what a
// graceful restart and a kill -9 keep, late and resuming watchers, SubmitAndWatch.
#include <signal.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "server/history_helpers.hpp"
#include "store/temp_dir.hpp"

namespace agdf::testing {
namespace {

/// `count` values 0..count-1 from one node, every one captured as an output event.
v1::SubmitRunRequest capturing(int count, int delay_ms = 0) {
  v1::SubmitRunRequest request = submission(
      R"({"nodes": [{"name": "numbers", "function": "range", "config": {"stop": )" +
      std::to_string(count) + R"(}}, {"name": "slow", "function": "sleep", "config": {"ms": )" +
      std::to_string(delay_ms) + R"(}}], "edges": [["numbers", "slow"]]})");
  request.add_capture("slow");
  return request;
}

/// A graph that halts with error records, labelled.
v1::SubmitRunRequest halting() {
  v1::SubmitRunRequest request = submission(R"({
    "halt_on_exception": true,
    "nodes": [{"name": "numbers", "function": "range", "config": {"stop": 5}},
              {"name": "fail", "function": "fail_if", "config": {"values": [3]}}],
    "edges": [["numbers", "fail"]]})");
  (*request.mutable_labels())["kind"] = "halting";
  return request;
}

std::string bytes(const google::protobuf::Message& message) {
  return message.SerializeAsString();
}

/// Fails unless the stream is seq 1, 2, 3, ... with no EventsMissed, ending in RunFinished.
void expect_whole(const Watched& watched) {
  ASSERT_TRUE(watched.status.ok()) << watched.status.error_message();
  for (std::size_t i = 0; i < watched.events.size(); ++i) {
    EXPECT_EQ(watched.events[i].seq(), i + 1);
    EXPECT_FALSE(watched.events[i].has_missed()) << watched.events[i].ShortDebugString();
  }
  ASSERT_FALSE(watched.events.empty());
  EXPECT_TRUE(watched.events.back().has_finished());
}

std::size_t outputs(const Watched& watched) {
  std::size_t n = 0;
  for (const auto& event : watched.events) n += event.has_output() ? 1 : 0;
  return n;
}

class DaemonHistory : public ::testing::Test {
 protected:
  /// A daemon on this test's state directory (the same one on every call).
  std::unique_ptr<DaemonProcess> start(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"--log-level", "warn", "--state-dir", state_dir().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return std::make_unique<DaemonProcess>(AGDF_SERVER_BIN, args);
  }
  std::filesystem::path state_dir() const { return temp_ / "state"; }

  static void stop(DaemonProcess& daemon) {
    daemon.send_signal(SIGTERM);
    ASSERT_EQ(daemon.wait_exit(std::chrono::seconds(60)), 0);
  }

 private:
  TempDir temp_;
};

TEST_F(DaemonHistory, AfterAGracefulRestartOldRunsLookExactlyAsBefore) {
  std::vector<std::string> ids;
  std::vector<v1::RunInfo> infos;
  std::vector<v1::RunInfo> listed;
  std::vector<Watched> streams;
  {
    auto daemon = start();
    auto stub = daemon->stub();
    v1::SubmitRunRequest labelled = submission(range_to_discard(7));
    (*labelled.mutable_labels())["team"] = "blue";
    ids.push_back(run_to_end(*stub, labelled));
    ids.push_back(run_to_end(*stub, halting()));
    ids.push_back(run_to_end(*stub, capturing(50)));
    {  // one cancelled
      auto context = call_context();
      v1::SubmitRunResponse response;
      ASSERT_TRUE(stub->SubmitRun(context.get(), submission(sleeps_a_minute()), &response).ok());
      v1::CancelRunRequest cancel;
      cancel.set_run_id(response.run_id());
      v1::CancelRunResponse cancelled;
      auto cancel_context = call_context();
      ASSERT_TRUE(stub->CancelRun(cancel_context.get(), cancel, &cancelled).ok());
      ids.push_back(response.run_id());
    }
    for (const auto& id : ids) infos.push_back(get_run(*stub, id));
    listed = list_all(*stub);
    for (const auto& id : ids) streams.push_back(watch(*stub, id));
    stop(*daemon);
  }
  ASSERT_EQ(infos[1].state(), v1::RUN_STATE_HALTED);
  ASSERT_EQ(infos[3].state(), v1::RUN_STATE_CANCELLED);

  auto daemon = start();
  auto stub = daemon->stub();
  for (std::size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(bytes(get_run(*stub, ids[i])), bytes(infos[i])) << ids[i];
    Watched again = watch(*stub, ids[i]);
    ASSERT_EQ(again.events.size(), streams[i].events.size()) << ids[i];
    for (std::size_t e = 0; e < again.events.size(); ++e)
      EXPECT_EQ(bytes(again.events[e]), bytes(streams[i].events[e])) << ids[i] << " #" << e;
  }
  std::vector<v1::RunInfo> listed_again = list_all(*stub);
  ASSERT_EQ(listed_again.size(), listed.size());
  for (std::size_t i = 0; i < listed.size(); ++i)
    EXPECT_EQ(bytes(listed_again[i]), bytes(listed[i])) << i;

  v1::ListRunsRequest by_label;
  (*by_label.mutable_labels())["team"] = "blue";
  std::vector<v1::RunInfo> blue = list_all(*stub, by_label);
  ASSERT_EQ(blue.size(), 1u);
  EXPECT_EQ(blue[0].run_id(), ids[0]);

  // New runs get new ids, listed before the old ones.
  const std::string fresh = run_to_end(*stub, submission(range_to_discard(1)));
  EXPECT_EQ(std::find(ids.begin(), ids.end(), fresh), ids.end());
  EXPECT_EQ(list_all(*stub).front().run_id(), fresh);
}

TEST_F(DaemonHistory, AfterKill9EveryAcceptedRunIsThereQueuedRunsRunAndRunningRunsFail) {
  std::vector<std::string> finished_before;
  std::vector<std::string> running;
  std::set<std::string> accepted;
  std::mutex accepted_mutex;
  std::map<std::string, std::uint64_t> seen_seq;
  {
    auto daemon = start({"--max-runs", "2", "--max-queued-runs", "100000"});
    auto stub = daemon->stub();
    finished_before.push_back(run_to_end(*stub, capturing(10)));
    finished_before.push_back(run_to_end(*stub, halting()));
    // Two runs that sleep through the kill, their first events seen by a watcher.
    for (int i = 0; i < 2; ++i) {
      auto context = call_context();
      v1::SubmitRunResponse response;
      ASSERT_TRUE(stub->SubmitRun(context.get(), capturing(1000, 20), &response).ok());
      running.push_back(response.run_id());
    }
    for (const auto& id : running) {
      auto context = call_context();
      v1::WatchRunRequest request;
      request.set_run_id(id);
      auto reader = stub->WatchRun(context.get(), request);
      v1::RunEvent event;
      int seen_outputs = 0;
      while (seen_outputs < 3 && reader->Read(&event)) {
        seen_seq[id] = event.seq();
        seen_outputs += event.has_output() ? 1 : 0;
      }
      context->TryCancel();
      reader->Finish();
    }
    // Load: clients submitting as fast as they can, all queued behind the two, when the
    // daemon is killed.
    std::atomic<bool> go{true};
    std::vector<std::thread> clients;
    for (int c = 0; c < 4; ++c)
      clients.emplace_back([&] {
        auto client = daemon->stub();
        while (go) {
          auto context = call_context();
          v1::SubmitRunResponse response;
          if (!client->SubmitRun(context.get(), submission(range_to_discard(3)), &response).ok())
            return;
          std::lock_guard lock(accepted_mutex);
          accepted.insert(response.run_id());
        }
      });
    ASSERT_TRUE(eventually([&] {
      std::lock_guard lock(accepted_mutex);
      return accepted.size() >= 200;
    }));
    daemon->send_signal(SIGKILL);
    go = false;
    for (auto& client : clients) client.join();
    ASSERT_EQ(daemon->wait_exit(std::chrono::seconds(30)), 128 + SIGKILL);
  }

  auto daemon = start({"--max-runs", "64", "--max-queued-runs", "100000"});
  auto stub = daemon->stub();
  for (const auto& id : finished_before) EXPECT_TRUE(is_final_state(get_run(*stub, id).state()));
  EXPECT_EQ(get_run(*stub, finished_before[1]).state(), v1::RUN_STATE_HALTED);

  for (const auto& id : running) {
    v1::RunInfo info = get_run(*stub, id);
    EXPECT_EQ(info.state(), v1::RUN_STATE_FAILED);
    EXPECT_NE(info.failure().find("interrupted: the daemon stopped while the run was running"),
              std::string::npos)
        << info.failure();
    EXPECT_NE(info.failure().find("last sign of life 20"), std::string::npos) << info.failure();
    // Every event a watcher saw before the kill is there, then the RunFinished.
    Watched watched = watch(*stub, id);
    ASSERT_TRUE(watched.status.ok());
    ASSERT_GE(watched.events.size(), 2u);
    EXPECT_GE(watched.events.size(), seen_seq[id] + 1);
    EXPECT_TRUE(watched.events.front().has_started());
    EXPECT_EQ(watched.finished().state(), v1::RUN_STATE_FAILED);
    EXPECT_EQ(watched.finished().failure(), info.failure());
    EXPECT_EQ(watched.events.back().seq(), info.last_seq());
    // A watcher that had seen more than was stored still gets the end.
    Watched resumed = watch(*stub, id, seen_seq[id] + 1);
    ASSERT_TRUE(resumed.status.ok());
    EXPECT_TRUE(!resumed.events.empty() && resumed.events.back().has_finished());
  }

  // Every run a client was told was accepted is there, and the queued ones all ran.
  ASSERT_GE(accepted.size(), 200u);
  for (const auto& id : accepted) {
    Watched watched = watch(*stub, id);
    ASSERT_TRUE(watched.status.ok()) << id << ": " << watched.status.error_message();
    EXPECT_EQ(watched.finished().state(), v1::RUN_STATE_COMPLETED) << id;
    EXPECT_EQ(counts(watched.finished().stats(), "sink"), "3/0/0") << id;
  }
}

TEST_F(DaemonHistory, WithFullSyncRunsAreStoredAlike) {
  std::string id;
  v1::RunInfo before;
  {
    auto daemon = start({"--store-sync", "full"});
    auto stub = daemon->stub();
    id = run_to_end(*stub, capturing(20));
    before = get_run(*stub, id);
    stop(*daemon);
  }
  auto daemon = start();
  auto stub = daemon->stub();
  EXPECT_EQ(bytes(get_run(*stub, id)), bytes(before));
  expect_whole(watch(*stub, id));
}

TEST_F(DaemonHistory, ALateWatcherOfARunCapturing3000ItemsGetsEveryEvent) {
  auto daemon = start();
  auto stub = daemon->stub();
  const std::string id = run_to_end(*stub, capturing(3000));
  const v1::RunInfo info = get_run(*stub, id);

  Watched late = watch(*stub, id);
  expect_whole(late);
  EXPECT_EQ(outputs(late), 3000u);
  EXPECT_EQ(late.events.size(), info.last_seq());
  EXPECT_GE(late.events.size(), 3002u);  // RunStarted, 3,000 outputs, stats, RunFinished
}

TEST_F(DaemonHistory, AWatcherThatFallsBehindGetsEveryEventFromTheStore) {
  auto daemon = start({"--event-log-head", "5", "--event-log-tail", "10"});
  auto stub = daemon->stub();
  auto context = call_context();
  v1::SubmitRunResponse response;
  ASSERT_TRUE(stub->SubmitRun(context.get(), capturing(3000), &response).ok());

  // Reads one event, then nothing until the run is over: the memory tail moved on long ago.
  auto watch_context = call_context();
  v1::WatchRunRequest request;
  request.set_run_id(response.run_id());
  auto slow = stub->WatchRun(watch_context.get(), request);
  Watched watched;
  watched.events.resize(1);
  ASSERT_TRUE(slow->Read(&watched.events[0]));
  ASSERT_TRUE(
      eventually([&] { return is_final_state(get_run(*stub, response.run_id()).state()); }));
  v1::RunEvent event;
  while (slow->Read(&event)) watched.events.push_back(event);
  watched.status = slow->Finish();
  expect_whole(watched);
  EXPECT_EQ(outputs(watched), 3000u);
}

TEST_F(DaemonHistory, AWatcherCanResumeFromAnySeqOfAStoredRun) {
  std::string id;
  Watched all;
  {
    auto daemon = start();
    auto stub = daemon->stub();
    id = run_to_end(*stub, capturing(300));
    all = watch(*stub, id);
    stop(*daemon);
  }
  auto daemon = start({"--event-log-head", "1", "--event-log-tail", "1"});
  auto stub = daemon->stub();
  for (std::uint64_t from : {1ul, 2ul, 150ul, all.events.size() - 1, all.events.size()}) {
    Watched part = watch(*stub, id, from);
    ASSERT_TRUE(part.status.ok());
    ASSERT_EQ(part.events.size(), all.events.size() - from + 1) << from;
    for (std::size_t i = 0; i < part.events.size(); ++i)
      EXPECT_EQ(bytes(part.events[i]), bytes(all.events[from - 1 + i])) << from;
  }
  Watched beyond = watch(*stub, id, all.events.size() + 1);
  EXPECT_TRUE(beyond.status.ok());
  EXPECT_TRUE(beyond.events.empty());
}

TEST_F(DaemonHistory, BeyondThePerRunCapEventsAreReportedAsNotStored) {
  std::string id;
  {
    auto daemon = start({"--max-stored-events", "100"});
    auto stub = daemon->stub();
    id = run_to_end(*stub, capturing(500));
    stop(*daemon);
  }
  auto daemon = start();
  auto stub = daemon->stub();
  const v1::RunInfo info = get_run(*stub, id);
  Watched watched = watch(*stub, id);
  ASSERT_TRUE(watched.status.ok());
  ASSERT_EQ(watched.events.size(), 102u);  // 100 stored, one EventsMissed, RunFinished
  const v1::RunEvent& missed = watched.events[100];
  ASSERT_TRUE(missed.has_missed());
  EXPECT_EQ(missed.missed().from_seq(), 101u);
  EXPECT_EQ(missed.missed().to_seq(), info.last_seq() - 1);
  EXPECT_EQ(missed.seq(), info.last_seq() - 1);
  EXPECT_EQ(watched.finished().state(), v1::RUN_STATE_COMPLETED);
  EXPECT_EQ(counts(watched.finished().stats(), "slow"), "500/500/0");
  EXPECT_EQ(info.events_not_stored(), info.last_seq() - 101);
}

TEST_F(DaemonHistory, SubmitAndWatchGivesTheRunIdThenEveryEventFromSeqOne) {
  auto daemon = start();
  auto stub = daemon->stub();
  auto context = call_context();
  auto reader = stub->SubmitAndWatch(context.get(), capturing(3000));
  std::vector<v1::RunEvent> events;
  v1::RunEvent event;
  while (reader->Read(&event)) events.push_back(event);
  ASSERT_TRUE(reader->Finish().ok());

  ASSERT_GE(events.size(), 2u);
  ASSERT_TRUE(events[0].has_accepted());
  EXPECT_EQ(events[0].seq(), 0u);
  EXPECT_EQ(events[0].accepted().state(), v1::RUN_STATE_RUNNING);
  const std::string id = events[0].run_id();
  EXPECT_FALSE(id.empty());
  Watched rest;
  rest.events.assign(events.begin() + 1, events.end());
  expect_whole(rest);
  EXPECT_EQ(outputs(rest), 3000u);
  for (const auto& e : rest.events) EXPECT_EQ(e.run_id(), id);
  EXPECT_EQ(get_run(*stub, id).last_seq(), rest.events.size());
}

/// Reads a whole SubmitAndWatch stream of `request`.
Watched submit_and_watch(v1::Agdf::Stub& stub, const v1::SubmitRunRequest& request) {
  auto context = call_context();
  auto reader = stub.SubmitAndWatch(context.get(), request);
  Watched watched;
  v1::RunEvent event;
  while (reader->Read(&event)) watched.events.push_back(event);
  watched.status = reader->Finish();
  return watched;
}

TEST_F(DaemonHistory, SubmitAndWatchOfAQueuedRunSaysSoThenFollowsIt) {
  auto daemon = start({"--max-runs", "1"});
  auto stub = daemon->stub();
  auto context = call_context();
  v1::SubmitRunResponse blocker;
  ASSERT_TRUE(stub->SubmitRun(context.get(), submission(sleeps_a_minute()), &blocker).ok());

  std::thread cancel_later([&] {
    // Once the second run is queued behind it, the first one goes away.
    EXPECT_TRUE(eventually([&] {
      v1::ListRunsRequest queued;
      queued.set_state(v1::RUN_STATE_QUEUED);
      return list_all(*stub, queued).size() == 1;
    }));
    auto cancel_context = call_context();
    v1::CancelRunRequest cancel;
    cancel.set_run_id(blocker.run_id());
    v1::CancelRunResponse cancelled;
    EXPECT_TRUE(stub->CancelRun(cancel_context.get(), cancel, &cancelled).ok());
  });
  Watched watched = submit_and_watch(*stub, capturing(5));
  cancel_later.join();
  ASSERT_TRUE(watched.status.ok()) << watched.status.error_message();
  ASSERT_GE(watched.events.size(), 2u);
  EXPECT_EQ(watched.events[0].accepted().state(), v1::RUN_STATE_QUEUED);
  Watched rest;
  rest.events.assign(watched.events.begin() + 1, watched.events.end());
  expect_whole(rest);
  EXPECT_EQ(outputs(rest), 5u);
}

TEST(DaemonWithoutHistory, SubmitAndWatchWorksWithoutAStoreToo) {
  DaemonProcess daemon(AGDF_SERVER_BIN, {"--log-level", "warn", "--no-store"});
  auto stub = daemon.stub();
  // Fewer events than memory keeps (--event-log-head + --event-log-tail): none can be missed.
  Watched watched = submit_and_watch(*stub, capturing(500));
  ASSERT_TRUE(watched.status.ok()) << watched.status.error_message();
  ASSERT_TRUE(watched.events[0].has_accepted());
  Watched rest;
  rest.events.assign(watched.events.begin() + 1, watched.events.end());
  expect_whole(rest);
  EXPECT_EQ(outputs(rest), 500u);
}

TEST_F(DaemonHistory, SubmitAndWatchRefusesAnInvalidGraphLikeSubmitRun) {
  auto daemon = start();
  auto stub = daemon->stub();
  auto context = call_context();
  auto reader = stub->SubmitAndWatch(
      context.get(), submission(R"({"nodes": [{"name": "x", "function": "no_such"}]})"));
  v1::RunEvent event;
  EXPECT_FALSE(reader->Read(&event));
  grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("no_such"), std::string::npos) << status.error_message();
}

TEST_F(DaemonHistory, RetentionByCountKeepsTheMostRecentlyFinishedRuns) {
  auto daemon = start({"--retain-runs", "3", "--retain-interval", "0.05", "--keep-finished", "0"});
  auto stub = daemon->stub();
  std::vector<std::string> ids;
  for (int i = 0; i < 10; ++i) ids.push_back(run_to_end(*stub, submission(range_to_discard(2))));
  ASSERT_TRUE(eventually([&] { return list_all(*stub).size() == 3; }));
  std::vector<v1::RunInfo> kept = list_all(*stub);
  EXPECT_EQ(kept[0].run_id(), ids[9]);
  EXPECT_EQ(kept[2].run_id(), ids[7]);
  auto context = call_context();
  v1::GetRunRequest request;
  request.set_run_id(ids[0]);
  v1::RunInfo info;
  EXPECT_EQ(stub->GetRun(context.get(), request, &info).error_code(), grpc::StatusCode::NOT_FOUND);
  Watched gone = watch(*stub, ids[0]);
  EXPECT_EQ(gone.status.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(DaemonHistory, RetentionByAgeDeletesRunsFinishedLongerAgo) {
  // 0.00002 days is 1.7 s.
  auto daemon =
      start({"--retain-days", "0.00002", "--retain-interval", "0.05", "--keep-finished", "0"});
  auto stub = daemon->stub();
  const std::string old_run = run_to_end(*stub, submission(range_to_discard(2)));
  auto context = call_context();
  v1::SubmitRunResponse response;
  ASSERT_TRUE(stub->SubmitRun(context.get(), submission(sleeps_a_minute()), &response).ok());
  ASSERT_TRUE(eventually([&] {
    auto runs = list_all(*stub);
    return runs.size() == 1 && runs[0].run_id() == response.run_id();
  }));
  EXPECT_EQ(get_run(*stub, response.run_id()).state(), v1::RUN_STATE_RUNNING);  // never pruned
}

}  // namespace
}  // namespace agdf::testing
