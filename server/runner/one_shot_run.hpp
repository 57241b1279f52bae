#pragma once
// `agdf-server run FILE`: runs one graph file in-process, prints the result, exits.

#include <filesystem>
#include <string>
#include <vector>

#include "agdf/workers/worker_options.hpp"

namespace agdf::server {

struct OneShotOptions {
  std::filesystem::path graph_file;
  bool json = false;  ///< print exactly one JSON object instead of a table
  std::filesystem::path data_dir = "data";
  unsigned threads = 1;
  /// Worker commands to start for this run (`--worker`); their functions are waited for
  /// (up to workers.worker_wait) before the graph is validated.
  std::vector<std::string> worker_commands;
  workers::WorkerOptions workers;
};

/// Exit codes shared by the runner and the CLI.
inline constexpr int kExitCompleted = 0;
inline constexpr int kExitInvalidGraph = 2;
inline constexpr int kExitHalted = 3;
inline constexpr int kExitCancelled = 4;
inline constexpr int kExitFailed = 5;

/// Runs the graph and returns the process exit code: 0 completed, 2 invalid graph,
/// 3 halted, 4 cancelled (SIGINT/SIGTERM), 5 failed.
int run_one_shot(const OneShotOptions& options);

}  // namespace agdf::server
