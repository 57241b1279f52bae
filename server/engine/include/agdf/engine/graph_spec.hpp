#pragma once
/// A graph as a user describes it: nodes, edges and graph-wide options, before any
/// checking. Parsed from a graph file or from the wire, then validated into a Plan.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "agdf/nodes/item.hpp"

namespace agdf::engine {

/// Reference defaults (see SEMANTICS.md).
inline constexpr std::int64_t kDefaultMaxTasks = 1;
inline constexpr std::int64_t kDefaultQueueSize = 10000;
inline constexpr std::int64_t kDefaultMaxExceptions = 1000;

/// Retry a failed call with the same input before it counts as an error.
struct RetryPolicy {
  std::int64_t attempts = 1;        ///< tries in all, the first included
  std::int64_t backoff_ms = 0;      ///< wait before the 2nd try; doubles each time
  std::int64_t max_backoff_ms = 0;  ///< cap on that wait; 0: no cap
};

struct NodeSpec {
  std::string name;
  std::string function;
  Json config = Json::object();
  std::int64_t max_tasks = kDefaultMaxTasks;
  std::int64_t queue_size = kDefaultQueueSize;
  bool unpack_input = true;
  bool halt_on_exception = false;
  /// {"kind": "batch"|"zip"|"preload"|"fifo", ...}; null means fifo.
  Json queue;
  RetryPolicy retry;
  /// A call running longer is cancelled and counts as an error; 0: no limit.
  std::int64_t timeout_ms = 0;
};

struct EdgeSpec {
  std::string from;
  std::string to;
  /// A condition (see agdf/nodes/condition.hpp); null: every item goes along the edge.
  Json when;
};

/// A start node named by the user, with the positional arguments of its one call.
struct StartCall {
  std::string node;
  Json::array_t args;
};

struct GraphSpec {
  std::vector<NodeSpec> nodes;
  std::vector<EdgeSpec> edges;
  bool halt_on_exception = false;
  /// Empty: the nodes without incoming edges start, each called once with no arguments.
  std::vector<StartCall> start_nodes;
  std::int64_t max_exceptions = kDefaultMaxExceptions;
};

}  // namespace agdf::engine
