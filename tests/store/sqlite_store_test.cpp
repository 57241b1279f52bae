// The SQLite run store on a real database file: runs, events, pages, start-up state, retention.
#include <algorithm>

#include "store/store_fixture.hpp"

namespace agdf::testing {
namespace {

using SqliteStore = StoreTest;

std::vector<std::uint64_t> numbers(const store::RunPage& page) {
  std::vector<std::uint64_t> out;
  for (const auto& run : page.runs) out.push_back(run.number);
  return out;
}

std::vector<std::uint64_t> seqs(const std::vector<v1::RunEvent>& events) {
  std::vector<std::uint64_t> out;
  for (const auto& event : events) out.push_back(event.seq());
  return out;
}

/// Every run of a query, page after page.
std::vector<std::uint64_t> all_pages(store::RunStore& store, store::RunQuery query) {
  std::vector<std::uint64_t> all;
  for (;;) {
    store::RunPage page = store.list_runs(query);
    for (auto n : numbers(page)) all.push_back(n);
    if (page.next_before == 0) return all;
    query.before = page.next_before;
  }
}

TEST_F(SqliteStore, ARunWrittenIsFoundByIdAndSurvivesReopening) {
  store::WriteBatch batch;
  batch.new_runs.push_back(new_run(7, v1::RUN_STATE_QUEUED, {{"team", "a"}}));
  store().write(batch);

  auto found = store().find_run("r7");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->number, 7u);
  EXPECT_EQ(found->info.labels().at("team"), "a");

  reopen();
  found = store().find_run("r7");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->info.run_id(), "r7");
  EXPECT_FALSE(store().find_run("r8"));
}

TEST_F(SqliteStore, AChangeReplacesStateTimesAndSummary) {
  store::WriteBatch batch;
  batch.new_runs.push_back(new_run(1));
  store().write(batch);
  store::WriteBatch change;
  change.changes.push_back(finished_change(1, v1::RUN_STATE_HALTED, 1234));
  {
    v1::RunInfo info = run_info("r1", v1::RUN_STATE_HALTED, {}, 1234);
    info.set_failure("why not");
    change.changes.back() = store::encode_change(1, info);
  }
  store().write(change);

  auto found = store().find_run("r1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->info.state(), v1::RUN_STATE_HALTED);
  EXPECT_EQ(found->info.finished_unix_ms(), 1234);
  EXPECT_EQ(found->info.failure(), "why not");
}

TEST_F(SqliteStore, EventsReadBackInOrderFromAnySeqWithoutTheirRunId) {
  store::WriteBatch batch;
  batch.new_runs.push_back(new_run(1));
  store().write(batch);
  store().write(events_batch(1, {output_event(1, "1"), output_event(2, "2")}));
  store().write(events_batch(1, {stats_event(3, 2), finished_event(4, v1::RUN_STATE_COMPLETED)}));

  auto all = store().read_events(1, 1, 100);
  EXPECT_EQ(seqs(all), (std::vector<std::uint64_t>{1, 2, 3, 4}));
  EXPECT_EQ(all[1].output().item_json(), "2");
  EXPECT_TRUE(all[3].has_finished());
  EXPECT_TRUE(all[0].run_id().empty());  // the caller knows which run it asked for

  EXPECT_EQ(seqs(store().read_events(1, 3, 100)), (std::vector<std::uint64_t>{3, 4}));
  EXPECT_EQ(seqs(store().read_events(1, 2, 2)), (std::vector<std::uint64_t>{2, 3}));
  EXPECT_TRUE(store().read_events(1, 5, 100).empty());
  EXPECT_TRUE(store().read_events(2, 1, 100).empty());
}

TEST_F(SqliteStore, AMarkerStandsForTheEventsItCoversFromWhereverTheReaderStarts) {
  store::WriteBatch batch;
  batch.new_runs.push_back(new_run(1));
  batch.chunks.push_back(chunk_of(1, {output_event(1, "1")}));
  v1::RunEvent marker;
  marker.set_seq(9);
  marker.mutable_missed()->set_from_seq(2);
  marker.mutable_missed()->set_to_seq(9);
  batch.chunks.push_back(store::single_event_chunk(1, marker));
  batch.chunks.push_back(chunk_of(1, {finished_event(10, v1::RUN_STATE_COMPLETED)}));
  store().write(batch);

  auto from_start = store().read_events(1, 1, 100);
  ASSERT_EQ(from_start.size(), 3u);
  EXPECT_EQ(from_start[1].missed().from_seq(), 2u);
  EXPECT_EQ(from_start[1].missed().to_seq(), 9u);
  EXPECT_EQ(from_start[1].seq(), 9u);  // as WatchRun numbers EventsMissed

  auto from_five = store().read_events(1, 5, 100);
  ASSERT_EQ(from_five.size(), 2u);
  EXPECT_EQ(from_five[0].missed().from_seq(), 5u);
  EXPECT_EQ(from_five[0].missed().to_seq(), 9u);
  EXPECT_TRUE(from_five[1].has_finished());
}

TEST_F(SqliteStore, ListRunsPagesNewestFirstAndLaterSubmissionsDoNotShiftThePages) {
  store::WriteBatch batch;
  for (std::uint64_t n = 1; n <= 120; ++n) batch.new_runs.push_back(new_run(n));
  store().write(batch);

  store::RunQuery query;
  query.limit = 50;
  store::RunPage first = store().list_runs(query);
  ASSERT_EQ(first.runs.size(), 50u);
  EXPECT_EQ(first.runs.front().number, 120u);
  EXPECT_EQ(first.next_before, 71u);

  store::WriteBatch more;
  for (std::uint64_t n = 121; n <= 130; ++n) more.new_runs.push_back(new_run(n));
  store().write(more);

  query.before = first.next_before;
  store::RunPage second = store().list_runs(query);
  EXPECT_EQ(second.runs.front().number, 70u);
  EXPECT_EQ(second.runs.back().number, 21u);
  query.before = second.next_before;
  store::RunPage third = store().list_runs(query);
  EXPECT_EQ(numbers(third).size(), 20u);
  EXPECT_EQ(third.next_before, 0u);
}

TEST_F(SqliteStore, ListRunsFiltersByStateLabelsAndSubmitterTogether) {
  store::WriteBatch batch;
  for (std::uint64_t n = 1; n <= 40; ++n) {
    std::map<std::string, std::string> labels{{"team", n % 2 ? "odd" : "even"}};
    if (n % 5 == 0) labels["five"] = "yes";
    auto run = new_run(n, n % 3 == 0 ? v1::RUN_STATE_COMPLETED : v1::RUN_STATE_QUEUED, labels);
    run.submitter = n <= 20 ? "alice" : "bob";
    batch.new_runs.push_back(std::move(run));
  }
  store().write(batch);

  auto expected = [](auto keep) {
    std::vector<std::uint64_t> out;
    for (std::uint64_t n = 40; n >= 1; --n)
      if (keep(n)) out.push_back(n);
    return out;
  };
  store::RunQuery query;
  query.limit = 3;  // several pages each
  query.state = v1::RUN_STATE_COMPLETED;
  EXPECT_EQ(all_pages(store(), query), expected([](auto n) { return n % 3 == 0; }));

  query.labels = {{"team", "odd"}};
  EXPECT_EQ(all_pages(store(), query), expected([](auto n) { return n % 3 == 0 && n % 2; }));

  query.state = v1::RUN_STATE_UNSPECIFIED;
  query.labels = {{"team", "odd"}, {"five", "yes"}};
  EXPECT_EQ(all_pages(store(), query), expected([](auto n) { return n % 2 && n % 5 == 0; }));

  query.labels = {{"five", "yes"}};
  query.submitter = "bob";
  EXPECT_EQ(all_pages(store(), query), expected([](auto n) { return n > 20 && n % 5 == 0; }));

  query.labels.clear();
  query.state = v1::RUN_STATE_QUEUED;
  EXPECT_EQ(all_pages(store(), query), expected([](auto n) { return n > 20 && n % 3 != 0; }));

  query = {};
  query.labels = {{"team", "none"}};
  EXPECT_TRUE(all_pages(store(), query).empty());
}

TEST_F(SqliteStore, LoadReturnsUnfinishedRunsWithTheirSubmissionAndLastStats) {
  store::WriteBatch batch;
  batch.new_runs.push_back(new_run(1, v1::RUN_STATE_COMPLETED));
  batch.new_runs.push_back(new_run(2, v1::RUN_STATE_RUNNING));
  batch.new_runs.push_back(new_run(3, v1::RUN_STATE_QUEUED));
  batch.chunks.push_back(chunk_of(2, {stats_event(1, 5), stats_event(2, 9)}));
  batch.chunks.push_back(chunk_of(2, {output_event(3, "x")}));
  // Its RunFinished was stored, its final state not (a crash in between).
  batch.new_runs.push_back(new_run(4, v1::RUN_STATE_RUNNING));
  batch.chunks.push_back(chunk_of(4, {finished_event(1, v1::RUN_STATE_HALTED)}));
  batch.alive_unix_ms = 1'700'000'123'456;
  store().write(batch);
  reopen();

  store::StoreState state = store().load();
  EXPECT_EQ(state.max_number, 4u);
  EXPECT_EQ(state.runs, 4u);
  EXPECT_EQ(state.last_alive_unix_ms, 1'700'000'123'456);
  ASSERT_EQ(state.unfinished.size(), 3u);
  EXPECT_FALSE(state.unfinished[0].finished);
  ASSERT_TRUE(state.unfinished[2].finished);
  EXPECT_EQ(state.unfinished[2].finished->finished().state(), v1::RUN_STATE_HALTED);
  EXPECT_EQ(state.unfinished[2].last_seq, 1u);
  const auto& running = state.unfinished[0];
  EXPECT_EQ(running.run.info.run_id(), "r2");
  EXPECT_EQ(running.last_seq, 3u);
  ASSERT_TRUE(running.last_stats);
  EXPECT_EQ(running.last_stats->nodes(0).out(), 9u);
  const auto& queued = state.unfinished[1];
  EXPECT_EQ(queued.run.info.state(), v1::RUN_STATE_QUEUED);
  EXPECT_EQ(queued.last_seq, 0u);
  EXPECT_NE(queued.submission.definition().graph_json().find("\"stop\": 3"), std::string::npos);
}

TEST_F(SqliteStore, AnEmptyStoreLoadsAsEmpty) {
  store::StoreState state = store().load();
  EXPECT_EQ(state.max_number, 0u);
  EXPECT_EQ(state.runs, 0u);
  EXPECT_TRUE(state.unfinished.empty());
}

/// Runs 1..count finished at 1000 * number, each with two events and a label.
void store_finished_runs(store::RunStore& store, std::uint64_t count) {
  store::WriteBatch batch;
  for (std::uint64_t n = 1; n <= count; ++n) {
    batch.new_runs.push_back(new_run(n, v1::RUN_STATE_RUNNING, {{"k", "v"}}));
    batch.chunks.push_back(
        chunk_of(n, {output_event(1, "1"), finished_event(2, v1::RUN_STATE_COMPLETED)}));
    batch.changes.push_back(
        finished_change(n, v1::RUN_STATE_COMPLETED, static_cast<std::int64_t>(1000 * n)));
  }
  store.write(batch);
}

TEST_F(SqliteStore, PruningByCountKeepsTheMostRecentlyFinishedRunsAndNothingOfTheRest) {
  store_finished_runs(store(), 30);
  store::WriteBatch unfinished;
  unfinished.new_runs.push_back(new_run(31, v1::RUN_STATE_RUNNING, {{"k", "v"}}));
  store().write(unfinished);

  store::Retention keep_ten{.max_runs = 10, .max_age_ms = 0};
  EXPECT_EQ(store().prune(keep_ten, 1'000'000, 15), 15u);  // one chunk of 15
  EXPECT_EQ(store().prune(keep_ten, 1'000'000, 15), 5u);
  EXPECT_EQ(store().prune(keep_ten, 1'000'000, 15), 0u);

  store::RunQuery query;
  query.limit = 100;
  query.labels = {{"k", "v"}};
  std::vector<std::uint64_t> expected{31};
  for (std::uint64_t n = 30; n >= 21; --n) expected.push_back(n);
  EXPECT_EQ(numbers(store().list_runs(query)), expected);
  EXPECT_TRUE(store().read_events(20, 1, 10).empty());
  EXPECT_FALSE(store().find_run("r20"));
  EXPECT_EQ(store().read_events(21, 1, 10).size(), 2u);
}

TEST_F(SqliteStore, PruningByAgeDeletesRunsFinishedLongerAgo) {
  store_finished_runs(store(), 10);  // finished at 1000 .. 10000
  store::Retention younger_than_4500{.max_runs = 0, .max_age_ms = 4500};
  EXPECT_EQ(store().prune(younger_than_4500, 10'000, 100), 5u);  // 1000..5000 are too old
  EXPECT_FALSE(store().find_run("r5"));
  EXPECT_TRUE(store().find_run("r6"));
  EXPECT_EQ(store().prune({.max_runs = 0, .max_age_ms = 0}, 10'000, 100), 0u);
}

}  // namespace
}  // namespace agdf::testing
