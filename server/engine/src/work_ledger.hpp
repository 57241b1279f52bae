#pragma once
// Counts the work in each node's care and says when a node, and then the whole run, is
// done. Completion counts work instead of watching queues: an item is in some node's care
// (held by its queue kind, ready, or being processed, plus its running start calls) until
// its call returns, so when no node has work the run is complete, whatever order the
// nodes were declared in.
//
// A node is finished once its sources are finished and it has no work left: it will never
// emit again. When every source of a node is finished, its queue kind is told (a batch then
// flushes its partial batch).

#include <cstddef>
#include <cstdint>
#include <vector>

#include "agdf/engine/plan.hpp"

namespace agdf::engine::detail {

class WorkLedger {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    /// Nothing will ever arrive at `node` again.
    virtual void sources_finished(std::size_t node) = 0;
    /// No node has work left: every item ever queued is fully processed.
    virtual void all_done() = 0;
  };

  WorkLedger(const Plan& plan, Listener& listener);

  void add(std::size_t node, std::uint64_t count = 1) noexcept {
    nodes_[node].work += count;
    pending_ += count;
  }
  void done(std::size_t node, std::uint64_t count = 1) {
    Node& n = nodes_[node];
    n.work -= count;
    pending_ -= count;
    if (n.work == 0 && n.sources_done && !n.finished) finish_from(node);
    if (pending_ == 0) listener_.all_done();
  }

  /// Marks nodes that can never receive anything as finished; called once work was counted.
  void settle();

  std::uint64_t pending() const noexcept { return pending_; }

 private:
  struct Node {
    std::uint64_t work = 0;
    bool sources_done = false;
    bool finished = false;
  };

  /// Finishes `node` and every node downstream that it leaves with finished sources and no work.
  void finish_from(std::size_t node);

  const Plan& plan_;
  Listener& listener_;
  std::vector<Node> nodes_;
  std::uint64_t pending_ = 0;
};

}  // namespace agdf::engine::detail
