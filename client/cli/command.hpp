#pragma once
/// How the `agdf` verbs plug into the command line: each verb file adds its CLI11
/// subcommand and, when chosen, leaves the action to run after parsing.

#include <functional>
#include <string>

#include <CLI/CLI.hpp>

#include "agdf/client/connection.hpp"

namespace agdf::client::cli {

/// Options every verb sees (`--server`, `--json`, TLS and token), given before or after
/// the verb.
struct GlobalOptions {
  std::string server;  ///< empty: $AGDF_SERVER, then the default address
  bool json = false;
  ConnectionOptions link;  ///< TLS and token flags; `address` unused (see `server`)
};

/// --tls, --tls-ca, --tls-server-name, --tls-client-cert, --tls-client-key, --token,
/// --token-file (each also read from its AGDF_* variable when not given).
void add_connection_options(CLI::App& app, ConnectionOptions& link);

/// The flags with their AGDF_* variables filled in; throws ConnectionError.
ConnectionOptions connection_options(const GlobalOptions& global);

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
