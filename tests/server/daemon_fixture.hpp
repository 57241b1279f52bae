#pragma once
/// A test that talks to its own real agdf-server through the generated client, with
/// small helpers to submit graphs and read event streams. Every call has a deadline.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "agdf/v1/agdf.grpc.pb.h"
#include "server/daemon_process.hpp"

namespace agdf::testing {

namespace v1 = ::agdf::v1;

/// Safety net for every call; tests normally finish far sooner.
inline constexpr auto kCallTimeout = std::chrono::seconds(30);

/// A client context whose call fails after kCallTimeout instead of hanging the test.
std::unique_ptr<grpc::ClientContext> call_context();

/// `graph_json` as a GraphDefinition.
v1::SubmitRunRequest submission(const std::string& graph_json);

/// The graph file text of `range(stop)` -> `discard`: `stop` items, no errors.
std::string range_to_discard(int stop);

/// A graph whose one node sleeps a minute: it runs until cancelled.
std::string sleeps_a_minute();

/// Everything a WatchRun stream delivered, and how it ended.
struct Watched {
  std::vector<v1::RunEvent> events;
  grpc::Status status;

  /// The RunFinished event; fails the test when the stream has none.
  const v1::RunFinished& finished() const;
};

/// Reads a whole WatchRun stream from `from_seq`.
Watched watch(v1::Agdf::Stub& stub, const std::string& run_id, std::uint64_t from_seq = 1);

/// in/out/err of `node` in a list of stats, as "in/out/err" ("missing" when absent).
std::string counts(const google::protobuf::RepeatedPtrField<v1::NodeStats>& stats,
                   const std::string& node);

class DaemonTest : public ::testing::Test {
 protected:
  void SetUp() override { start_daemon(); }

  /// (Re)starts the daemon with extra flags (after the default `--log-level warn`).
  void start_daemon(const std::vector<std::string>& extra_args = {});

  /// Submits and returns the run id; fails the test when the daemon refuses.
  std::string submit(const v1::SubmitRunRequest& request);
  std::string submit(const std::string& graph_json) { return submit(submission(graph_json)); }

  /// Reads events until one satisfies `done` (or the stream ends); returns them all.
  template <typename Done>
  std::vector<v1::RunEvent> watch_until(const std::string& run_id, Done done);

  DaemonProcess& daemon() { return *daemon_; }
  v1::Agdf::Stub& stub() { return *stub_; }

 private:
  std::unique_ptr<DaemonProcess> daemon_;
  std::unique_ptr<v1::Agdf::Stub> stub_;
};

template <typename Done>
std::vector<v1::RunEvent> DaemonTest::watch_until(const std::string& run_id, Done done) {
  auto context = call_context();
  v1::WatchRunRequest request;
  request.set_run_id(run_id);
  auto reader = stub_->WatchRun(context.get(), request);
  std::vector<v1::RunEvent> events;
  v1::RunEvent event;
  while (reader->Read(&event)) {
    events.push_back(event);
    if (done(event)) break;
  }
  context->TryCancel();
  reader->Finish();
  return events;
}

}  // namespace agdf::testing
