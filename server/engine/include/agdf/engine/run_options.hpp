#pragma once
/// Per-run settings that are not part of the graph itself.

#include <chrono>
#include <filesystem>
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
  /// Where file functions may read and write.
  std::filesystem::path data_dir = "data";
};

/// Renders one data-flow log line with the given format.
std::string format_data_flow_line(const std::string& format, const std::string& node,
                                  std::uint64_t in, std::uint64_t out, std::uint64_t err);

}  // namespace agdf::engine
