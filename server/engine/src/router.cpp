#include "router.hpp"

namespace agdf::engine::detail {
namespace {

/// The last edge from `first` on that takes `item`, so it can have the item moved rather
/// than copied; edges.size() when none does.
std::size_t last_taker(const std::vector<PlannedEdge>& edges, std::size_t first, const Item& item,
                       bool conditional) {
  if (!conditional) return edges.empty() ? 0 : edges.size() - 1;
  for (std::size_t i = edges.size(); i-- > first;)
    if (!edges[i].when || edges[i].when->matches(item)) return i;
  return edges.size();
}

}  // namespace

void Router::send(NodeState& from, Emission& emission) {
  const std::vector<PlannedEdge>& edges = from.plan().out;
  const bool conditional = from.conditional();
  if (edges.size() == 1 && !conditional) {  // the common case: one plain edge
    const PlannedEdge& edge = edges.front();
    NodeState& to = *nodes_[edge.to];
    if (!to.has_room(edge.slot)) return to.wait_for_room(edge.slot, emission);
    ++to.stats.in;
    to.put(edge.slot, std::move(emission.item));
    emission.next_edge = 1;
    return scheduler_.ready(emission, /*front=*/true);
  }
  const std::size_t last = last_taker(edges, emission.next_edge, emission.item, conditional);
  for (std::size_t& i = emission.next_edge; i < edges.size() && i <= last; ++i) {
    const PlannedEdge& edge = edges[i];
    if (conditional && i != last && edge.when && !edge.when->matches(emission.item)) continue;
    NodeState& to = *nodes_[edge.to];
    if (!to.has_room(edge.slot)) return to.wait_for_room(edge.slot, emission);
    ++to.stats.in;
    to.put(edge.slot, i == last ? std::move(emission.item) : Item(emission.item));
  }
  scheduler_.ready(emission, /*front=*/true);
}

}  // namespace agdf::engine::detail
