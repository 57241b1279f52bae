#include <algorithm>
#include <deque>
#include <map>
#include <string_view>

#include "agdf/nodes/quote.hpp"

#include "queue_kinds.hpp"

namespace agdf::engine::queue_kinds {
namespace {

/// Yields one tuple of the k-th item of every source, in a fixed source order. The
/// engine knows which source an item came from, so sources need not tag their items.
class Zip final : public QueueBehaviour {
 public:
  /// `order[i]` is the source slot whose item goes at position i of the tuple.
  explicit Zip(std::vector<std::size_t> order) : order_(std::move(order)), held_(order_.size()) {}

  bool accepts(std::size_t source, const QueueSink& sink, std::size_t capacity) const override {
    return held_[source].size() < capacity && sink.ready() < capacity;
  }

  void push(std::size_t source, Item item, QueueSink& sink) override {
    held_[source].push_back(std::move(item));
    if (std::any_of(held_.begin(), held_.end(), [](const auto& q) { return q.empty(); })) return;
    Json::array_t tuple;
    tuple.reserve(order_.size());
    for (std::size_t slot : order_) {
      tuple.push_back(std::move(held_[slot].front()));
      held_[slot].pop_front();
    }
    sink.deliver(make_tuple(std::move(tuple)), order_.size());
    sink.space_freed();
  }

  void sources_finished(QueueSink& sink) override {
    std::size_t left = 0;
    for (auto& q : held_) left += q.size(), q.clear();
    if (left > 0)
      sink.drop(left, "zip dropped " + std::to_string(left) + " item" + (left == 1 ? "" : "s") +
                          " that could not be completed into a tuple");
  }

 private:
  std::vector<std::size_t> order_;
  std::vector<std::deque<Item>> held_;  // by source slot
};

}  // namespace

void register_zip(QueueKindRegistry& registry) {
  registry.add({
      .name = "zip",
      .description = "For a node with several sources: yields one tuple of the k-th item of each "
                     "source, in `sources` order (default: edge order); leftovers are reported "
                     "and dropped.",
      .config_keys = {{"sources", "source node names, in tuple order", Json::array({"a", "b"}),
                       false}},
      .prepare =
          [](const Json& config, const QueueNodeInfo& node) {
            PreparedQueue out;
            if (node.sources.size() < 2)
              out.problems.push_back("queue kind 'zip' needs at least two source nodes, " +
                                     quote(node.node) + " has " +
                                     std::to_string(node.sources.size()));
            std::vector<std::size_t> order;
            if (auto it = config.find("sources"); it != config.end()) {
              std::map<std::string_view, std::size_t> slot_of;
              for (std::size_t i = 0; i < node.sources.size(); ++i)
                slot_of.emplace(node.sources[i], i);
              if (!it->is_array()) {
                out.problems.push_back("queue.sources must be an array of node names");
              } else if (it->size() != node.sources.size()) {
                out.problems.push_back("queue.sources must name every source of " +
                                       quote(node.node) + " once (it has " +
                                       std::to_string(node.sources.size()) + ")");
              } else {
                for (const Json& name : *it) {
                  auto at = name.is_string() ? slot_of.find(name.get_ref<const std::string&>())
                                             : slot_of.end();
                  if (at == slot_of.end())
                    out.problems.push_back("queue.sources names " + shorten_json(name) +
                                           ", not a source of " + quote(node.node));
                  else
                    order.push_back(at->second);
                }
              }
            } else {
              for (std::size_t i = 0; i < node.sources.size(); ++i) order.push_back(i);
            }
            std::vector<std::size_t> sorted = order;
            std::sort(sorted.begin(), sorted.end());
            if (out.problems.empty() &&
                std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
              out.problems.push_back("queue.sources names a source twice");
            out.make = [order] { return std::make_unique<Zip>(order); };
            return out;
          },
  });
}

}  // namespace agdf::engine::queue_kinds
