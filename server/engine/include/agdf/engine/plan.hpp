#pragma once
/// A validated graph, ready to run: every node bound to its function and config,
/// edges resolved to indices, start calls resolved. Immutable and shareable.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <vector>

#include "agdf/engine/graph_spec.hpp"
#include "agdf/engine/problem.hpp"
#include "agdf/engine/queue_kind.hpp"
#include "agdf/nodes/condition.hpp"
#include "agdf/nodes/function.hpp"

namespace agdf::engine {

/// An edge as the executor follows it.
struct PlannedEdge {
  std::size_t to;                 ///< destination node index
  std::size_t slot;               ///< this edge's index among the destination's sources
  std::optional<Condition> when;  ///< unset: every item
};

struct PlannedNode {
  NodeSpec spec;
  BoundFunction function;
  std::vector<Param> params;              ///< what a call takes: params_of(definition, function)
  std::vector<std::size_t> destinations;  ///< in edge order
  std::vector<std::size_t> sources;       ///< in edge order
  std::vector<PlannedEdge> out;           ///< outgoing edges, in edge order
  PreparedQueue queue;                    ///< the queue kind's behaviour and preload
};

struct PlannedStart {
  std::size_t node;
  Json::array_t args;
};

struct Plan {
  std::vector<PlannedNode> nodes;  ///< in declaration order
  std::vector<PlannedStart> starts;
  bool halt_on_exception = false;
  std::size_t max_exceptions = kDefaultMaxExceptions;
  /// Where file functions may read and write: the data directory it was validated for.
  std::filesystem::path data_dir;
};

}  // namespace agdf::engine
