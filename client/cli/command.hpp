#pragma once
/// How the `agdf` verbs plug into the command line: each verb file adds its CLI11
/// subcommand and, when chosen, leaves the action to run after parsing.

#include <functional>
#include <string>

#include <CLI/CLI.hpp>

namespace agdf::client::cli {

/// Options every verb sees (`--server`, `--json`), given before or after the verb.
struct GlobalOptions {
  std::string server;  ///< empty: $AGDF_SERVER, then the default address
  bool json = false;
};

/// The chosen verb's work; returns the process exit status.
using Action = std::function<int()>;

void add_functions_command(CLI::App& app, const GlobalOptions& global, Action& action);
void add_validate_command(CLI::App& app, const GlobalOptions& global, Action& action);
void add_run_command(CLI::App& app, const GlobalOptions& global, Action& action);
void add_watch_command(CLI::App& app, const GlobalOptions& global, Action& action);
void add_status_command(CLI::App& app, const GlobalOptions& global, Action& action);
void add_runs_command(CLI::App& app, const GlobalOptions& global, Action& action);
void add_cancel_command(CLI::App& app, const GlobalOptions& global, Action& action);
void add_health_command(CLI::App& app, const GlobalOptions& global, Action& action);
void add_graph_command(CLI::App& app, const GlobalOptions& global, Action& action);

}  // namespace agdf::client::cli
