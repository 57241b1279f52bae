#include "work_ledger.hpp"

#include <algorithm>

namespace agdf::engine::detail {

WorkLedger::WorkLedger(const Plan& plan, Listener& listener)
    : plan_(plan), listener_(listener), nodes_(plan.nodes.size()) {
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    nodes_[i].sources_done = plan.nodes[i].sources.empty();
}

void WorkLedger::settle() {
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    if (nodes_[i].work == 0 && nodes_[i].sources_done && !nodes_[i].finished) finish_from(i);
}

// Iterative: a client controls how long a chain of nodes is.
void WorkLedger::finish_from(std::size_t first) {
  std::vector<std::size_t> finished{first};
  nodes_[first].finished = true;
  while (!finished.empty()) {
    const std::size_t node = finished.back();
    finished.pop_back();
    for (std::size_t next : plan_.nodes[node].destinations) {
      Node& n = nodes_[next];
      if (n.sources_done) continue;
      const auto& sources = plan_.nodes[next].sources;
      if (!std::all_of(sources.begin(), sources.end(),
                       [&](std::size_t s) { return nodes_[s].finished; }))
        continue;
      n.sources_done = true;
      listener_.sources_finished(next);  // may add and finish work (a batch flushing)
      if (n.work == 0 && !n.finished) {
        n.finished = true;
        finished.push_back(next);
      }
    }
  }
}

}  // namespace agdf::engine::detail
