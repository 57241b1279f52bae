#pragma once
/// A validated graph, ready to run: every node bound to its function and config,
/// edges resolved to indices, start calls resolved. Immutable and shareable.

#include <cstddef>
#include <memory>
#include <vector>

#include "agdf/engine/graph_spec.hpp"
#include "agdf/engine/problem.hpp"
#include "agdf/nodes/function.hpp"

namespace agdf::engine {

struct PlannedNode {
  NodeSpec spec;
  BoundFunction function;
  std::vector<std::size_t> destinations;  ///< in edge order
  std::vector<std::size_t> sources;       ///< in edge order
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

  /// Index of the node called `name`, or nodes.size().
  std::size_t index_of(std::string_view name) const;
};

}  // namespace agdf::engine
