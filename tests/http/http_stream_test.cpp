// The live event stream: the run's events as server-sent events, resumable, and never
// in the run's way.
#include <gtest/gtest.h>

#include <unistd.h>

#include <csignal>
#include <filesystem>

#include "agdf/client/event_json.hpp"
#include "http/http_fixture.hpp"

namespace agdf::http_test {
namespace {

using agdf::testing::range_to_discard;
using agdf::testing::sleeps_a_minute;
namespace v1 = ::agdf::v1;

class HttpStream : public HttpDaemonTest {};

TEST_F(HttpStream, StreamsEveryEventOfARunAsWatchRunDoesThenEnds) {
  const std::string id = submit(R"({"nodes": [
      {"name": "a", "function": "values", "config": {"values": [1, 2, 3], "delay_ms": 5}},
      {"name": "b", "function": "fail_if", "config": {"values": [2]}}], "edges": [["a", "b"]]})");
  EventStream stream(http(), "/api/runs/" + id + "/stream");
  ASSERT_EQ(stream.status(), 200u);
  const auto events = stream.rest();
  const auto watched = agdf::testing::watch(stub(), id);
  ASSERT_EQ(events.size(), watched.events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].id, watched.events[i].seq());
    EXPECT_EQ(events[i].data, client::event_to_json(watched.events[i]));
  }
  EXPECT_EQ(events.back().data["type"], "finished");
  EXPECT_EQ(events.back().data["state"], "completed");
}

TEST_F(HttpStream, LastEventIdResumesRightAfterTheLastEventSeen) {
  const std::string id = submit(agdf::testing::submission(range_to_discard(10)));
  const v1::RunInfo info = wait_final(id);
  ASSERT_GE(info.last_seq(), 3u);
  EventStream resumed(http(), "/api/runs/" + id + "/stream", {{"Last-Event-ID", "2"}});
  const auto events = resumed.rest();
  ASSERT_EQ(events.size(), info.last_seq() - 2);
  EXPECT_EQ(events.front().id, 3u);
  EXPECT_EQ(events.back().id, info.last_seq());
  EventStream beyond(http(), "/api/runs/" + id + "/stream",
                     {{"Last-Event-ID", std::to_string(info.last_seq())}});
  EXPECT_TRUE(beyond.rest().empty());
  EventStream bad(http(), "/api/runs/" + id + "/stream", {{"Last-Event-ID", "x"}});
  EXPECT_EQ(bad.status(), 400u);
}

TEST_F(HttpStream, CountsArriveLiveWhileTheRunIsStillRunning) {
  auto request = agdf::testing::submission(R"({"nodes": [
      {"name": "tick", "function": "range", "config": {"stop": 1000000000}},
      {"name": "sink", "function": "discard"}], "edges": [["tick", "sink"]]})");
  request.set_stats_interval_ms(20);
  const std::string id = submit(request);
  EventStream stream(http(), "/api/runs/" + id + "/stream");
  std::uint64_t last_out = 0;
  int growing = 0;
  while (growing < 3) {
    auto event = stream.next();
    ASSERT_TRUE(event) << "the stream ended early";
    ASSERT_NE(event->data["type"], "finished");
    if (event->data["type"] != "stats") continue;
    const std::uint64_t out = event->data["nodes"]["tick"]["out"];
    if (out > last_out) ++growing;
    last_out = out;
  }
  EXPECT_EQ(get_run(id).state(), v1::RUN_STATE_RUNNING);
  ASSERT_EQ(cancel_run(id), v1::RUN_STATE_CANCELLED);
  std::optional<SseEvent> last;
  while (auto event = stream.next()) last = event;
  ASSERT_TRUE(last);
  EXPECT_EQ(last->data["type"], "finished");
  EXPECT_EQ(last->data["state"], "cancelled");
}

TEST_F(HttpStream, AReaderThatStopsReadingNeverSlowsTheRun) {
  // Thousands of log events; this reader takes a few and then reads nothing at all,
  // with a tiny receive buffer, so the daemon's writes to it soon block.
  const std::string id = submit(R"({"nodes": [
      {"name": "numbers", "function": "range", "config": {"stop": 20000}},
      {"name": "say", "function": "print"}], "edges": [["numbers", "say"]]})");
  EventStream stalled(http(), "/api/runs/" + id + "/stream", {}, /*receive_buffer_bytes=*/4096);
  ASSERT_TRUE(stalled.next());
  const v1::RunInfo info = wait_final(id);
  EXPECT_EQ(info.state(), v1::RUN_STATE_COMPLETED);
  EXPECT_EQ(agdf::testing::counts(info.stats(), "say"), "20000/20000/0");
  // The daemon still answers on both ports while that reader sits there.
  EXPECT_EQ(get(http(), "/healthz").status, 200u);
  EXPECT_EQ(get_run(id).last_seq(), info.last_seq());
}

TEST_F(HttpStream, EventsPastTheLogsTailAreReadFromTheHistoryAlsoAfterARestart) {
  const auto state = std::filesystem::temp_directory_path() /
                     ("agdf-http-stream-state-" + std::to_string(::getpid()));
  std::filesystem::remove_all(state);
  const std::vector<std::string> flags{"--event-log-head", "2",           "--event-log-tail", "5",
                                       "--state-dir",      state.string()};
  start_http_daemon(flags);
  auto request = agdf::testing::submission(
      R"({"nodes": [{"name": "a", "function": "range", "config": {"stop": 300}}]})");
  request.add_capture("a");
  const std::string id = submit(request);
  const v1::RunInfo info = wait_final(id);
  ASSERT_GT(info.last_seq(), 300u);
  // Every event, in order, none missed: the log holds only 7 of them, the history the rest.
  auto expect_every_event = [&](const char* when) {
    EventStream stream(http(), "/api/runs/" + id + "/stream");
    ASSERT_EQ(stream.status(), 200u) << when;
    const auto events = stream.rest();
    ASSERT_EQ(events.size(), info.last_seq()) << when;
    for (std::size_t i = 0; i < events.size(); ++i) ASSERT_EQ(events[i].id, i + 1) << when;
    EXPECT_EQ(events.back().data["type"], "finished") << when;
  };
  expect_every_event("while the run is in memory");
  daemon().send_signal(SIGTERM);
  ASSERT_EQ(daemon().wait_exit(std::chrono::seconds(30)), 0);
  start_http_daemon(flags);  // the run is now only in the history
  expect_every_event("after a restart");
  std::filesystem::remove_all(state);
}

TEST_F(HttpStream, AnUnknownRunIs404) {
  EventStream stream(http(), "/api/runs/nope-3/stream");
  EXPECT_EQ(stream.status(), 404u);
}

}  // namespace
}  // namespace agdf::http_test
