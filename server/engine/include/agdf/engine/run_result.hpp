#pragma once
/// What a run reports: its state, per-node counts and error records.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "agdf/engine/graph_spec.hpp"

namespace agdf::engine {

enum class RunStatus { running, completed, halted, cancelled, failed };

/// Reference counters: `in` items forwarded to the node, `out` items it yielded,
/// `err` errors raised by its calls.
struct NodeStats {
  std::uint64_t in = 0;
  std::uint64_t out = 0;
  std::uint64_t err = 0;

  friend bool operator==(const NodeStats&, const NodeStats&) = default;
};

struct ErrorRecord {
  std::string type;
  std::string message;
};

/// One node's live state, as periodic snapshots report it.
struct NodeSnapshot {
  std::string name;
  NodeStats stats;
  std::uint64_t queued = 0;        ///< items waiting in the node's queue
  std::uint64_t active_calls = 0;  ///< calls in progress
};

struct NodeReport {
  std::string name;
  NodeStats stats;
  std::vector<ErrorRecord> errors;  ///< most recent max_exceptions, oldest first
  std::uint64_t dropped = 0;        ///< items a queue kind discarded (e.g. zip leftovers)
};

struct RunResult {
  RunStatus status = RunStatus::running;
  std::vector<StartCall> start_nodes;
  std::vector<NodeReport> nodes;  ///< in declaration order
  std::string failure;            ///< why, when status is failed
};

}  // namespace agdf::engine
