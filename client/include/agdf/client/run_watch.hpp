#pragma once
/// Follows a run's events until it finishes, riding out broken streams: when the
/// stream ends early (daemon restart, network), it reconnects and resumes from the
/// last sequence number + 1, so the caller sees every event once, in order.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "agdf/client/connection.hpp"

namespace agdf::client {

struct WatchPolicy {
  /// Reconnects in a row without receiving an event before giving up.
  int max_reconnects = 5;
  std::chrono::milliseconds first_backoff{100};
  std::chrono::milliseconds max_backoff{2000};
};

struct WatchOutcome {
  std::optional<v1::RunFinished> finished;  ///< set when the run finished
  grpc::Status status;                      ///< why watching stopped early, when it did
  std::uint64_t last_seq = 0;               ///< the last event seen
  int reconnects = 0;
};

/// Calls `on_event` for each event from `from_seq` (0 or 1: the start) until the run's
/// finished event, a non-retryable error (such as NOT_FOUND), or too many reconnects.
WatchOutcome watch_run(Connection& connection, const std::string& run_id, std::uint64_t from_seq,
                       const std::function<void(const v1::RunEvent&)>& on_event,
                       const WatchPolicy& policy = {});

}  // namespace agdf::client
