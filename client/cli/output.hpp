#pragma once
/// Small printing helpers shared by the verbs: JSON lines, failed calls, times.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <grpcpp/support/status.h>

#include "agdf/client/connection.hpp"
#include "agdf/client/event_json.hpp"

namespace agdf::client::cli {

/// One compact JSON object and a newline on stdout, flushed (invalid UTF-8 replaced).
void print_json_line(const OrderedJson& value);

/// Says on one stderr line why a call failed and returns the exit status for it:
/// `agdf: cannot reach agdf-server at ADDR: ...` when the daemon is unreachable.
int report_failure(const Connection& connection, const grpc::Status& status, std::string_view what);

/// Prints `agdf: MESSAGE` on stderr and returns the exit status for a usage error.
int usage_error(std::string_view message);

/// The whole text of a graph file, or nullopt after saying on stderr why not.
std::optional<std::string> read_graph_file(const std::string& path);

/// 2024-05-01T10:00:00.123Z, or "-" for 0.
std::string iso_time(std::int64_t unix_ms);

/// True when stdout is a terminal and the user did not ask for JSON.
bool is_live_terminal(bool json_requested);

}  // namespace agdf::client::cli
