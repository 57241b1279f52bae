#include "agdf/client/run_watch.hpp"

#include <algorithm>
#include <thread>

namespace agdf::client {
namespace {

/// Codes a broken connection or a restarting daemon produce; others are final answers.
bool worth_retrying(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::OK:  // the stream ended before the finished event
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return true;
    default:
      return false;
  }
}

/// One WatchRun stream; returns its final status. Sets `finished` when the run ended.
grpc::Status follow_stream(Connection& connection, const std::string& run_id,
                           std::uint64_t& next_seq, bool& progressed, WatchOutcome& outcome,
                           const std::function<void(const v1::RunEvent&)>& on_event) {
  grpc::ClientContext context;
  v1::WatchRunRequest request;
  request.set_run_id(run_id);
  request.set_from_seq(next_seq);
  auto reader = connection.agdf().WatchRun(&context, request);
  v1::RunEvent event;
  while (reader->Read(&event)) {
    progressed = true;
    if (event.seq() < next_seq) continue;  // a replay overlap: already delivered
    next_seq = event.seq() + 1;
    if (event.has_missed()) next_seq = std::max(next_seq, event.missed().to_seq() + 1);
    outcome.last_seq = event.seq();
    on_event(event);
    if (event.has_finished()) {
      outcome.finished = event.finished();
      context.TryCancel();
      reader->Finish();
      return grpc::Status::OK;
    }
  }
  return reader->Finish();
}

/// Pauses for `wait` while asking the channel to reconnect. A plain sleep is not enough:
/// after a failed connection the channel itself backs off (a second, then longer) and
/// fails calls at once meanwhile, so a daemon restarting quickly would be missed.
void wait_for_daemon(Connection& connection, const std::string& run_id,
                     std::chrono::milliseconds wait) {
  grpc::ClientContext context;
  context.set_wait_for_ready(true);
  Connection::set_deadline(context, wait);
  v1::GetRunRequest request;
  request.set_run_id(run_id);
  v1::RunInfo info;
  const auto started = std::chrono::steady_clock::now();
  connection.agdf().GetRun(&context, request, &info);
  // Reachable sooner: the rest of the pause, as before.
  const auto waited = std::chrono::steady_clock::now() - started;
  if (waited < wait) std::this_thread::sleep_for(wait - waited);
}

}  // namespace

WatchOutcome watch_run(Connection& connection, const std::string& run_id, std::uint64_t from_seq,
                       const std::function<void(const v1::RunEvent&)>& on_event,
                       const WatchPolicy& policy) {
  WatchOutcome outcome;
  std::uint64_t next_seq = std::max<std::uint64_t>(from_seq, 1);
  int failures_in_a_row = 0;
  auto backoff = policy.first_backoff;
  while (true) {
    bool progressed = false;
    outcome.status = follow_stream(connection, run_id, next_seq, progressed, outcome, on_event);
    if (outcome.finished) return outcome;
    if (!worth_retrying(outcome.status)) return outcome;
    if (progressed) failures_in_a_row = 0, backoff = policy.first_backoff;
    if (++failures_in_a_row > policy.max_reconnects) {
      if (outcome.status.ok())
        outcome.status = grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                      "the event stream kept ending before the run finished");
      return outcome;
    }
    wait_for_daemon(connection, run_id, backoff);
    backoff = std::min(backoff * 2, policy.max_backoff);
    ++outcome.reconnects;
  }
}

}  // namespace agdf::client
