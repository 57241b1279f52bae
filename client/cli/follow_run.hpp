#pragma once
/// Shows a run's events until it finishes (shared by `run` and `watch`): the live
/// table on a terminal, one JSON object per event per line otherwise.

#include <cstdint>
#include <string>
#include <vector>

#include "agdf/client/connection.hpp"

namespace agdf::client::cli {

struct FollowOptions {
  std::uint64_t from_seq = 1;
  bool json = false;               ///< --json: JSON lines even on a terminal
  std::vector<std::string> nodes;  ///< table rows in this order first (from the graph file)
};

/// Returns the exit status: from the run's final state, or from why watching failed.
int follow_run(Connection& connection, const std::string& run_id, const FollowOptions& options);

}  // namespace agdf::client::cli
