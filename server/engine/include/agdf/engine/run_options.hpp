#pragma once
/// Per-run settings that are not part of the graph itself.

#include <chrono>
#include <string>
#include <vector>

namespace agdf::engine {

/// The reference's data-flow logging: a line per node every interval, and once at the end.
struct DataFlowLogOptions {
  bool enabled = false;
  std::chrono::milliseconds interval{60'000};
  /// Placeholders: {node}, {in}, {out}, {err}.
  std::string format = " {node} - in={in}, out={out}, err={err}";
  /// Only these nodes; empty means every node.
  std::vector<std::string> nodes;
};

struct RunOptions {
  /// How often stats snapshots go to the observer; zero disables them.
  std::chrono::milliseconds stats_interval{0};
  DataFlowLogOptions data_flow_log;
  /// Nodes whose yielded items are passed to RunObserver::on_output.
  std::vector<std::string> capture;
  /// How long a run keeps a pool thread before it lets timers, cancellation and other runs
  /// in, even when its functions never wait (benchmarks raise it to measure the cost).
  std::chrono::microseconds time_slice{1000};
};

/// Renders one data-flow log line with the given format.
std::string format_data_flow_line(const std::string& format, const std::string& node,
                                  std::uint64_t in, std::uint64_t out, std::uint64_t err);

}  // namespace agdf::engine
