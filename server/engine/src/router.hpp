#pragma once
// Routing: where an item a node yields goes. Every outgoing edge whose condition the item
// meets takes it, in edge order, each destination getting its own copy (the last one the
// original). A full destination parks the emission until it has room; the emitting call
// resumes once every destination has the item.

#include <memory>
#include <vector>

#include "agdf/nodes/emit.hpp"
#include "node_state.hpp"
#include "scheduler.hpp"

namespace agdf::engine::detail {

class Router {
 public:
  Router(std::vector<std::unique_ptr<NodeState>>& nodes, Scheduler& scheduler)
      : nodes_(nodes), scheduler_(scheduler) {}

  /// Delivers `emission` from `from`, from its next edge on.
  void send(NodeState& from, Emission& emission);

 private:
  std::vector<std::unique_ptr<NodeState>>& nodes_;
  Scheduler& scheduler_;
};

}  // namespace agdf::engine::detail
