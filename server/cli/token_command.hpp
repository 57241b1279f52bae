#pragma once
// `agdf-server token add NAME --role ROLE --tokens FILE`: adds a principal to a token file
// and prints its token, once. `agdf-server token list --tokens FILE`: who is in it.

#include <CLI/CLI.hpp>

namespace agdf::server {

/// Adds the `token` subcommand; `run` is set to its action when it is chosen.
void add_token_command(CLI::App& app, std::function<int()>& run);

}  // namespace agdf::server
