#pragma once
/// Shows a run's events until it finishes (shared by `run` and `watch`): the live
/// table on a terminal, one JSON object per event per line otherwise.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agdf/client/connection.hpp"
#include "agdf/client/run_watch.hpp"
#include "live_table.hpp"

namespace agdf::client::cli {

struct FollowOptions {
  std::uint64_t from_seq = 1;
  bool json = false;               ///< --json: JSON lines even on a terminal
  std::vector<std::string> nodes;  ///< table rows in this order first (from the graph file)
};

/// Shows the events of one run as they come, then how following it ended.
class RunFollower {
 public:
  RunFollower(const std::string& run_id, const FollowOptions& options);

  void on_event(const v1::RunEvent& event);

  /// Returns the exit status: from the run's final state, or from why watching failed.
  int finish(const Connection& connection, const WatchOutcome& outcome);

 private:
  std::string run_id_;
  std::optional<LiveTable> live_;
};

/// Follows `run_id` with WatchRun; returns the exit status as RunFollower::finish does.
int follow_run(Connection& connection, const std::string& run_id, const FollowOptions& options);

}  // namespace agdf::client::cli
