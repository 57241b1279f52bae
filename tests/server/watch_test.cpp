// WatchRun: replay, live following, resuming after a disconnect, forgotten events and
// slow watchers.
#include "server/daemon_fixture.hpp"

namespace agdf::testing {
namespace {

using DaemonWatch = DaemonTest;

/// One node yielding 0..count-1, `delay_ms` apart, every item captured as an output event.
v1::SubmitRunRequest ticking(int count, int delay_ms) {
  std::string values;
  for (int i = 0; i < count; ++i) values += (i ? "," : "") + std::to_string(i);
  v1::SubmitRunRequest request =
      submission(R"({"nodes": [{"name": "ticks", "function": "values", "config": {"values": [)" +
                 values + R"(], "delay_ms": )" + std::to_string(delay_ms) + "}}]}");
  request.add_capture("ticks");
  return request;
}

/// Fails unless every event follows the previous one: seq + 1, or an EventsMissed that
/// covers exactly the gap and carries seq = to_seq.
void expect_continuous(const std::vector<v1::RunEvent>& events) {
  std::uint64_t last = 0;
  for (const auto& event : events) {
    if (event.has_missed()) {
      EXPECT_EQ(event.missed().from_seq(), last + 1);
      EXPECT_EQ(event.seq(), event.missed().to_seq());
    } else {
      EXPECT_EQ(event.seq(), last + 1);
    }
    last = event.seq();
  }
}

/// Waits for the run to finish: a watch from far beyond its end ends when it does.
void wait_until_finished(v1::Agdf::Stub& stub, const std::string& id) {
  Watched beyond = watch(stub, id, 1'000'000'000);
  EXPECT_TRUE(beyond.status.ok()) << beyond.status.error_message();
  EXPECT_TRUE(beyond.events.empty());
}

TEST_F(DaemonWatch, ResumingAfterADisconnectLosesAndRepeatsNothing) {
  const std::string id = submit(ticking(100, 3));

  std::vector<v1::RunEvent> events;
  {
    auto context = call_context();
    v1::WatchRunRequest request;
    request.set_run_id(id);
    auto reader = stub().WatchRun(context.get(), request);
    v1::RunEvent event;
    while (events.size() < 10 && reader->Read(&event)) events.push_back(event);
    context->TryCancel();  // the client goes away mid-run
    reader->Finish();
  }
  ASSERT_EQ(events.size(), 10u);

  Watched rest = watch(stub(), id, events.back().seq() + 1);
  ASSERT_TRUE(rest.status.ok()) << rest.status.error_message();
  events.insert(events.end(), rest.events.begin(), rest.events.end());

  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].seq(), i + 1);
    EXPECT_FALSE(events[i].has_missed());
  }
  std::vector<std::string> items;
  for (const auto& event : events)
    if (event.has_output()) items.push_back(event.output().item_json());
  ASSERT_EQ(items.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(items[static_cast<std::size_t>(i)], std::to_string(i));
  EXPECT_EQ(rest.finished().state(), v1::RUN_STATE_COMPLETED);  // the disconnect did not stop it
}

TEST_F(DaemonWatch, AWatcherJoiningAfterTheEndGetsTheSameEvents) {
  const std::string id = submit(ticking(20, 0));
  Watched first = watch(stub(), id);
  Watched second = watch(stub(), id);
  ASSERT_EQ(first.events.size(), second.events.size());
  for (std::size_t i = 0; i < first.events.size(); ++i)
    EXPECT_EQ(first.events[i].SerializeAsString(), second.events[i].SerializeAsString());
}

TEST_F(DaemonWatch, FromASeqInTheMiddleStartsThere) {
  const std::string id = submit(ticking(20, 0));
  Watched all = watch(stub(), id);
  Watched from_five = watch(stub(), id, 5);
  ASSERT_EQ(from_five.events.size(), all.events.size() - 4);
  EXPECT_EQ(from_five.events.front().seq(), 5u);
}

TEST_F(DaemonWatch, WithoutAStoreEventsNoLongerKeptAreReportedAsMissed) {
  start_daemon({"--event-log-head", "5", "--event-log-tail", "10", "--no-store"});
  const std::string id = submit(ticking(100, 0));
  wait_until_finished(stub(), id);

  Watched watched = watch(stub(), id);
  ASSERT_TRUE(watched.status.ok());
  ASSERT_EQ(watched.events.size(), 5u + 1u + 10u);
  const std::uint64_t last = watched.events.back().seq();
  for (std::uint64_t i = 0; i < 5; ++i) EXPECT_EQ(watched.events[i].seq(), i + 1);
  const auto& missed = watched.events[5];
  ASSERT_TRUE(missed.has_missed());
  EXPECT_EQ(missed.missed().from_seq(), 6u);
  EXPECT_EQ(missed.missed().to_seq(), last - 10);
  EXPECT_EQ(missed.seq(), last - 10);
  expect_continuous(watched.events);
  EXPECT_EQ(watched.finished().state(), v1::RUN_STATE_COMPLETED);
}

TEST_F(DaemonWatch, ASlowWatcherNeverBlocksTheRun) {
  start_daemon({"--event-log-head", "5", "--event-log-tail", "10"});
  const std::string id = submit(ticking(20000, 0));

  // A watcher that reads one event and then nothing while the run produces 20,000.
  auto context = call_context();
  v1::WatchRunRequest request;
  request.set_run_id(id);
  auto slow = stub().WatchRun(context.get(), request);
  std::vector<v1::RunEvent> events(1);
  ASSERT_TRUE(slow->Read(&events[0]));

  wait_until_finished(stub(), id);  // the run ends although the slow watcher is stuck

  v1::RunEvent event;
  while (slow->Read(&event)) events.push_back(event);
  EXPECT_TRUE(slow->Finish().ok());
  expect_continuous(events);
  ASSERT_TRUE(events.back().has_finished());
  EXPECT_EQ(events.back().finished().state(), v1::RUN_STATE_COMPLETED);
}

TEST_F(DaemonWatch, FromBeyondTheEndOfAFinishedRunEndsAtOnce) {
  const std::string id = submit(range_to_discard(1));
  wait_until_finished(stub(), id);
  Watched beyond = watch(stub(), id, 1000);
  EXPECT_TRUE(beyond.status.ok());
  EXPECT_TRUE(beyond.events.empty());
}

}  // namespace
}  // namespace agdf::testing
