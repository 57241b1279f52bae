#include "agdf/client/submit_watch.hpp"

namespace agdf::client {
namespace {

/// The old way, for a daemon that predates SubmitAndWatch.
SubmitWatchOutcome submit_then_watch(
    Connection& connection, const v1::SubmitRunRequest& request,
    const std::function<void(const std::string&, v1::RunState)>& on_accepted,
    const std::function<void(const v1::RunEvent&)>& on_event, const WatchPolicy& policy) {
  SubmitWatchOutcome outcome;
  grpc::ClientContext context;
  Connection::set_deadline(context);
  v1::SubmitRunResponse response;
  outcome.refused = connection.agdf().SubmitRun(&context, request, &response);
  if (!outcome.refused.ok()) return outcome;
  outcome.run_id = response.run_id();
  on_accepted(outcome.run_id, response.state());
  outcome.watch = watch_run(connection, outcome.run_id, 1, on_event, policy);
  return outcome;
}

}  // namespace

SubmitWatchOutcome submit_and_watch(
    Connection& connection, const v1::SubmitRunRequest& request,
    const std::function<void(const std::string&, v1::RunState)>& on_accepted,
    const std::function<void(const v1::RunEvent&)>& on_event, const WatchPolicy& policy) {
  SubmitWatchOutcome outcome;
  std::uint64_t next_seq = 1;
  grpc::Status status;
  {
    grpc::ClientContext context;
    auto reader = connection.agdf().SubmitAndWatch(&context, request);
    v1::RunEvent event;
    while (reader->Read(&event)) {
      if (event.has_accepted()) {
        if (outcome.run_id.empty()) {
          outcome.run_id = event.run_id();
          on_accepted(outcome.run_id, event.accepted().state());
        }
        continue;
      }
      if (outcome.run_id.empty() || event.seq() < next_seq) continue;
      next_seq = event.seq() + 1;
      if (event.has_missed()) next_seq = std::max(next_seq, event.missed().to_seq() + 1);
      outcome.watch.last_seq = event.seq();
      on_event(event);
      if (event.has_finished()) {
        outcome.watch.finished = event.finished();
        context.TryCancel();
        reader->Finish();
        return outcome;
      }
    }
    status = reader->Finish();
  }
  if (outcome.run_id.empty()) {
    if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED)
      return submit_then_watch(connection, request, on_accepted, on_event, policy);
    outcome.refused = status.ok() ? grpc::Status(grpc::StatusCode::INTERNAL,
                                                 "the daemon ended the stream without a run id")
                                  : status;
    return outcome;
  }
  // Accepted, then the stream broke: the run goes on, follow it from where we are.
  const std::uint64_t seen = outcome.watch.last_seq;
  outcome.watch = watch_run(connection, outcome.run_id, next_seq, on_event, policy);
  if (outcome.watch.last_seq == 0) outcome.watch.last_seq = seen;
  return outcome;
}

}  // namespace agdf::client
