#pragma once
// The one-shot runner's JSON: {"status", "start_nodes", "stats", "exceptions"}, plus
// "dropped" {node: count} when a queue kind discarded items, and "failure" when failed.

#include "agdf/engine/run_result.hpp"

namespace agdf::server {

Json result_json(const engine::RunResult& result);

/// "completed", "halted", ...: the names the daemon and the CLI use.
std::string_view status_name(engine::RunStatus status);

}  // namespace agdf::server
