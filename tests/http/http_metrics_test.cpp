// /metrics on a real daemon: the counts after known runs and calls.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include <grpcpp/generic/generic_stub.h>

#include "http/http_fixture.hpp"

namespace agdf::http_test {
namespace {

using agdf::testing::call_context;
using agdf::testing::submission;
namespace v1 = ::agdf::v1;

/// The value of the sample `series` (name with labels, exactly as rendered); -1 if absent.
double sample(const std::string& text, const std::string& series) {
  const std::string prefix = series + " ";
  for (std::size_t at = 0; at < text.size();) {
    const auto end = text.find('\n', at);
    const std::string line = text.substr(at, end - at);
    if (line.starts_with(prefix)) return std::stod(line.substr(prefix.size()));
    at = end == std::string::npos ? text.size() : end + 1;
  }
  return -1;
}

std::string read_example(const std::string& name) {
  std::ifstream in(std::string(AGDF_EXAMPLES_DIR) + "/" + name);
  return {std::istreambuf_iterator<char>(in), {}};
}

class HttpMetrics : public HttpDaemonTest {};

TEST_F(HttpMetrics, CountRunsFunctionsEventsAndGrpcCalls) {
  const std::string halted = submit(read_example("halt_at_node.json"));
  const std::string completed = submit(agdf::testing::range_to_discard(1000));
  const std::string cancelled = submit(agdf::testing::sleeps_a_minute());
  std::uint64_t events = wait_final(halted).last_seq() + wait_final(completed).last_seq();
  cancel_run(cancelled);
  events += wait_final(cancelled).last_seq();
  v1::SubmitRunResponse ignored;
  EXPECT_FALSE(
      stub().SubmitRun(call_context().get(), submission(R"({"nodes": []})"), &ignored).ok());

  const HttpAnswer answer = get(http(), "/metrics");
  ASSERT_EQ(answer.status, 200u);
  EXPECT_EQ(answer.headers.at("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = answer.body;
  EXPECT_EQ(sample(text, "agdf_runs_submitted_total"), 3);
  EXPECT_EQ(sample(text, "agdf_runs_refused_total{reason=\"invalid\"}"), 1);
  EXPECT_EQ(sample(text, "agdf_runs_finished_total{state=\"completed\"}"), 1);
  EXPECT_EQ(sample(text, "agdf_runs_finished_total{state=\"halted\"}"), 1);
  EXPECT_EQ(sample(text, "agdf_runs_finished_total{state=\"cancelled\"}"), 1);
  EXPECT_EQ(sample(text, "agdf_runs_running"), 0);
  EXPECT_EQ(sample(text, "agdf_runs_queued"), 0);
  EXPECT_EQ(sample(text, "agdf_run_duration_seconds_count{state=\"halted\"}"), 1);
  // halt_at_node: extract (values) out=5; transform (title_case) 5/5/0; load (fail_if)
  // 5/2/1; output (print) 2/2/0. range_to_discard(1000): range out 1000, discard in 1000.
  EXPECT_EQ(sample(text, "agdf_function_items_out_total{function=\"values\"}"), 5);
  EXPECT_EQ(sample(text, "agdf_function_items_in_total{function=\"title_case\"}"), 5);
  EXPECT_EQ(sample(text, "agdf_function_items_out_total{function=\"fail_if\"}"), 2);
  EXPECT_EQ(sample(text, "agdf_function_errors_total{function=\"fail_if\"}"), 1);
  EXPECT_EQ(sample(text, "agdf_function_items_out_total{function=\"range\"}"), 1000);
  EXPECT_EQ(sample(text, "agdf_function_items_in_total{function=\"discard\"}"), 1000);
  EXPECT_EQ(sample(text, "agdf_node_queue_depth{function=\"discard\"}"), 0);
  EXPECT_EQ(sample(text, "agdf_events_written_total"), static_cast<double>(events));
  EXPECT_EQ(
      sample(text, "agdf_grpc_requests_total{method=\"/agdf.v1.Agdf/SubmitRun\",code=\"OK\"}"), 3);
  EXPECT_EQ(sample(text,
                   "agdf_grpc_requests_total{method=\"/agdf.v1.Agdf/SubmitRun\","
                   "code=\"INVALID_ARGUMENT\"}"),
            1);
  EXPECT_GE(sample(text,
                   "agdf_grpc_request_duration_seconds_count{method=\"/agdf.v1.Agdf/"
                   "GetRun\"}"),
            3);
  EXPECT_TRUE(std::regex_search(text, std::regex("agdf_build_info\\{version=\"[^\"]+\".*\\} 1\n")));
  // No run id ever becomes a label.
  for (const std::string& id : {halted, completed, cancelled})
    EXPECT_EQ(text.find(id), std::string::npos);
}

TEST_F(HttpMetrics, RunsWatchedAndMissedAreCounted) {
  // Without a run history, what the in-memory log forgot is missed for good.
  start_http_daemon({"--no-store", "--event-log-head", "1", "--event-log-tail", "1"});
  const std::string id = submit(R"({"nodes": [
      {"name": "numbers", "function": "range", "config": {"stop": 5}},
      {"name": "say", "function": "print"}], "edges": [["numbers", "say"]]})");
  const auto info = wait_final(id);
  // Head 1 and tail 1 keep seq 1 and the last; a watcher from the start misses the rest.
  const auto watched = agdf::testing::watch(stub(), id);
  ASSERT_EQ(watched.events.size(), 3u);
  const std::string text = get(http(), "/metrics").body;
  EXPECT_EQ(sample(text, "agdf_watch_events_missed_total"),
            static_cast<double>(info.last_seq() - 2));
}

TEST_F(HttpMetrics, UnknownGrpcMethodsAreCountedAsOtherNotByName) {
  grpc::GenericStub generic(daemon().channel());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::ByteBuffer reply;
  grpc::Slice empty("");
  grpc::ByteBuffer request(&empty, 1);
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  generic.UnaryCall(&context, "/agdf.v1.Agdf/MadeUpMethod1234", grpc::StubOptions(), &request,
                    &reply, [&](grpc::Status) {
                      std::lock_guard lock(mutex);
                      done = true;
                      done_cv.notify_all();
                    });
  std::unique_lock lock(mutex);
  ASSERT_TRUE(done_cv.wait_for(lock, std::chrono::seconds(10), [&] { return done; }));
  const std::string text = get(http(), "/metrics").body;
  EXPECT_EQ(text.find("MadeUpMethod1234"), std::string::npos);
}

}  // namespace
}  // namespace agdf::http_test
