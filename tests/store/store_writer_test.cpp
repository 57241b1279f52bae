// The batched writer over a real SQLite store: durability before `done`, the per-run cap,
// a queue the disk cannot keep up with, failed writes, retention and the heartbeat.
#include <chrono>
#include <future>
#include <thread>

#include "agdf/store/store_writer.hpp"
#include "store/store_fixture.hpp"

namespace agdf::testing {
namespace {

using namespace std::chrono_literals;

/// Remembers what the writer told a run.
class RecordingSink final : public store::RunSink {
 public:
  void on_stored(std::uint64_t seq, std::uint64_t not_stored) override {
    std::lock_guard lock(mutex_);
    seq_ = seq;
    not_stored_ = not_stored;
  }
  std::uint64_t seq() const {
    std::lock_guard lock(mutex_);
    return seq_;
  }
  std::uint64_t not_stored() const {
    std::lock_guard lock(mutex_);
    return not_stored_;
  }

 private:
  mutable std::mutex mutex_;
  std::uint64_t seq_ = 0;
  std::uint64_t not_stored_ = 0;
};

/// Adds a run and waits for its `done`; returns the error, if any.
std::optional<std::string> add_and_wait(store::StoreWriter& writer, store::NewRun run,
                                        std::shared_ptr<store::RunSink> sink = nullptr) {
  std::promise<std::optional<std::string>> result;
  writer.add_run(std::move(run), std::move(sink),
                 [&result](std::optional<std::string> error) { result.set_value(error); });
  return result.get_future().get();
}

/// Polls `condition` until it holds or a generous deadline passes.
template <typename Condition>
bool eventually(Condition condition) {
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return condition();
}

using StoreWriter = StoreTest;

TEST_F(StoreWriter, ARunIsReadableOnceDoneSaysItIsDurable) {
  store::StoreWriter writer(store(), {});
  for (std::uint64_t n = 1; n <= 50; ++n) {
    ASSERT_EQ(add_and_wait(writer, new_run(n)), std::nullopt);
    EXPECT_TRUE(store().find_run(new_run(n).id)) << n;
  }
}

TEST_F(StoreWriter, EventsAreStoredInOrderAndTheSinkHearsHowFar) {
  store::StoreWriter writer(store(), {});
  auto sink = std::make_shared<RecordingSink>();
  ASSERT_EQ(add_and_wait(writer, new_run(1, v1::RUN_STATE_RUNNING), sink), std::nullopt);
  for (std::uint64_t seq = 1; seq <= 500; ++seq)
    writer.add_event(1, *output_event(seq, std::to_string(seq)));
  writer.add_event(1, *finished_event(501, v1::RUN_STATE_COMPLETED));
  writer.change_run(finished_change(1, v1::RUN_STATE_COMPLETED, 42));
  writer.flush();

  EXPECT_EQ(sink->seq(), 501u);
  EXPECT_EQ(sink->not_stored(), 0u);
  auto events = store().read_events(1, 1, 1000);
  ASSERT_EQ(events.size(), 501u);
  for (std::size_t i = 0; i < 500; ++i)
    EXPECT_EQ(events[i].output().item_json(), std::to_string(i + 1));
  EXPECT_EQ(store().find_run("r1")->info.state(), v1::RUN_STATE_COMPLETED);
}

TEST_F(StoreWriter, BeyondThePerRunCapOneMarkerStandsForTheRestAndRunFinishedIsKept) {
  store::StoreWriter writer(store(), {.max_events_per_run = 10});
  auto sink = std::make_shared<RecordingSink>();
  ASSERT_EQ(add_and_wait(writer, new_run(1, v1::RUN_STATE_RUNNING), sink), std::nullopt);
  for (std::uint64_t seq = 1; seq <= 50; ++seq) {
    writer.add_event(1, *output_event(seq, "x"));
    if (seq % 7 == 0) writer.flush();  // the gap spans several batches
  }
  writer.add_event(1, *finished_event(51, v1::RUN_STATE_COMPLETED));
  writer.change_run(finished_change(1, v1::RUN_STATE_COMPLETED, 42));
  writer.flush();

  auto events = store().read_events(1, 1, 1000);
  ASSERT_EQ(events.size(), 12u);
  EXPECT_EQ(events[9].seq(), 10u);
  ASSERT_TRUE(events[10].has_missed());
  EXPECT_EQ(events[10].missed().from_seq(), 11u);
  EXPECT_EQ(events[10].missed().to_seq(), 50u);
  EXPECT_TRUE(events[11].has_finished());
  EXPECT_EQ(sink->not_stored(), 40u);
  EXPECT_EQ(store().find_run("r1")->info.events_not_stored(), 40u);
  EXPECT_EQ(writer.counters().events_not_stored, 40u);
}

TEST_F(StoreWriter, AQueueTheDiskCannotKeepUpWithTurnsEventsAwayButNeverTheEnd) {
  // A budget smaller than any event: every event but RunFinished is turned away.
  store::StoreWriter writer(store(), {.max_queued_bytes = 1});
  auto sink = std::make_shared<RecordingSink>();
  ASSERT_EQ(add_and_wait(writer, new_run(1, v1::RUN_STATE_RUNNING), sink), std::nullopt);
  for (std::uint64_t seq = 1; seq <= 100; ++seq) writer.add_event(1, *output_event(seq, "x"));
  writer.add_event(1, *finished_event(101, v1::RUN_STATE_COMPLETED));
  writer.change_run(finished_change(1, v1::RUN_STATE_COMPLETED, 42));
  writer.flush();

  auto events = store().read_events(1, 1, 1000);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].missed().from_seq(), 1u);
  EXPECT_EQ(events[0].missed().to_seq(), 100u);
  EXPECT_TRUE(events[1].has_finished());
  EXPECT_EQ(sink->seq(), 101u);
  EXPECT_EQ(store().find_run("r1")->info.events_not_stored(), 100u);
}

TEST_F(StoreWriter, TurnedAwayEventsAreMarkedEvenWhenTheRunGoesQuiet) {
  store::StoreWriter writer(store(), {.max_queued_bytes = 1});
  auto sink = std::make_shared<RecordingSink>();
  ASSERT_EQ(add_and_wait(writer, new_run(1, v1::RUN_STATE_RUNNING), sink), std::nullopt);
  for (std::uint64_t seq = 1; seq <= 5; ++seq) writer.add_event(1, *output_event(seq, "x"));
  // No later event comes to carry the gap: the writer picks it up by itself.
  EXPECT_TRUE(eventually([&] { return sink->seq() == 5; }));
  EXPECT_EQ(sink->not_stored(), 5u);
}

TEST_F(StoreWriter, AFailedWriteRefusesTheNewRunAndStillTellsTheSinks) {
  reopen({.file = {}, .full_sync = false, .readers = 1, .max_bytes = 128 * 1024});
  std::vector<std::string> errors;
  std::mutex errors_mutex;
  store::StoreWriter writer(store(), {.on_error = [&](const std::string& e) {
                              std::lock_guard lock(errors_mutex);
                              errors.push_back(e);
                            }});
  auto sink = std::make_shared<RecordingSink>();
  ASSERT_EQ(add_and_wait(writer, new_run(1, v1::RUN_STATE_RUNNING), sink), std::nullopt);
  // Items too big for the disk left: the batch fails, the run's watchers must not hang.
  std::string big_item(512 * 1024, 'x');
  big_item.front() = big_item.back() = '"';
  writer.add_event(1, *output_event(1, big_item));
  writer.flush();
  EXPECT_EQ(sink->seq(), 1u);
  EXPECT_EQ(sink->not_stored(), 1u);

  auto refused = add_and_wait(writer, [] {
    auto run = new_run(2);
    run.submission.assign(512 * 1024, 'x');
    return run;
  }());
  ASSERT_TRUE(refused);
  EXPECT_NE(refused->find("full"), std::string::npos) << *refused;
  EXPECT_FALSE(store().find_run("r2"));
  std::lock_guard lock(errors_mutex);
  EXPECT_EQ(errors.size(), 2u);
}

TEST_F(StoreWriter, RetentionPrunesFinishedRunsInTheBackground) {
  store::StoreWriter writer(
      store(),
      {.retention = {.max_runs = 5, .max_age_ms = 0}, .prune_interval = 10ms, .prune_chunk = 3});
  for (std::uint64_t n = 1; n <= 20; ++n) {
    ASSERT_EQ(add_and_wait(writer, new_run(n, v1::RUN_STATE_RUNNING)), std::nullopt);
    writer.change_run(
        finished_change(n, v1::RUN_STATE_COMPLETED, 1000 + static_cast<std::int64_t>(n)));
  }
  ASSERT_EQ(add_and_wait(writer, new_run(21, v1::RUN_STATE_RUNNING)), std::nullopt);
  EXPECT_TRUE(eventually([&] { return writer.counters().runs_pruned == 15; }));
  store::RunQuery query;
  query.limit = 100;
  auto page = store().list_runs(query);
  ASSERT_EQ(page.runs.size(), 6u);  // five finished, and the one still running
  EXPECT_EQ(page.runs.back().number, 16u);
}

TEST_F(StoreWriter, WhileRunsAreInFlightTheDaemonsSignOfLifeIsWritten) {
  store::StoreWriter writer(store(), {.heartbeat = 10ms});
  writer.track_run(1, std::make_shared<RecordingSink>());
  EXPECT_TRUE(eventually([&] { return store().load().last_alive_unix_ms > 0; }));
}

}  // namespace
}  // namespace agdf::testing
