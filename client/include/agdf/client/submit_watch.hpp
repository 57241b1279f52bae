#pragma once
/// Submits a run and follows it from its very first event in one call (SubmitAndWatch),
/// so nothing of the run can be missed. A stream that breaks after the run was accepted
/// is resumed with WatchRun from the last seq + 1, like watch_run does.

#include <functional>
#include <optional>
#include <string>

#include "agdf/client/connection.hpp"
#include "agdf/client/run_watch.hpp"

namespace agdf::client {

struct SubmitWatchOutcome {
  std::string run_id;    ///< empty when the run was not accepted
  grpc::Status refused;  ///< why not, when run_id is empty
  WatchOutcome watch;    ///< how following the accepted run ended
};

/// `on_accepted` is called once with the run's id and state (QUEUED or RUNNING), before
/// any `on_event`. A daemon without SubmitAndWatch (UNIMPLEMENTED) gets SubmitRun then
/// WatchRun instead.
SubmitWatchOutcome submit_and_watch(
    Connection& connection, const v1::SubmitRunRequest& request,
    const std::function<void(const std::string& run_id, v1::RunState state)>& on_accepted,
    const std::function<void(const v1::RunEvent&)>& on_event, const WatchPolicy& policy = {});

}  // namespace agdf::client
