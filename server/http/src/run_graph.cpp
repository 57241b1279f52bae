#include "run_graph.hpp"

#include "agdf/client/graph_text.hpp"

namespace agdf::http {

using OrderedJson = nlohmann::ordered_json;

namespace {

OrderedJson node_json(const engine::PlannedNode& node, bool start) {
  const engine::NodeSpec& spec = node.spec;
  OrderedJson out = {{"name", spec.name},
                     {"function", spec.function},
                     {"queue", client::queue_text(spec.queue)},
                     {"queue_config", spec.queue},
                     {"max_tasks", spec.max_tasks},
                     {"queue_size", spec.queue_size},
                     {"unpack_input", spec.unpack_input},
                     {"halt_on_exception", spec.halt_on_exception},
                     {"timeout_ms", spec.timeout_ms},
                     {"start", start}};
  if (spec.retry.attempts > 1)
    out["retry"] = {{"attempts", spec.retry.attempts},
                    {"backoff_ms", spec.retry.backoff_ms},
                    {"max_backoff_ms", spec.retry.max_backoff_ms}};
  return out;
}

}  // namespace

OrderedJson graph_json(const engine::Plan& plan) {
  std::vector<bool> starts(plan.nodes.size(), false);
  for (const auto& start : plan.starts)
    if (start.node < starts.size()) starts[start.node] = true;
  OrderedJson nodes = OrderedJson::array();
  OrderedJson edges = OrderedJson::array();
  for (std::size_t i = 0; i < plan.nodes.size(); ++i) {
    const auto& node = plan.nodes[i];
    nodes.push_back(node_json(node, starts[i]));
    for (const auto& edge : node.out) {
      const nlohmann::json when = edge.when ? edge.when->source() : nlohmann::json();
      edges.push_back({{"from", node.spec.name},
                       {"to", plan.nodes[edge.to].spec.name},
                       {"when", when},
                       {"condition", client::condition_text(when)}});
    }
  }
  return {{"nodes", std::move(nodes)},
          {"edges", std::move(edges)},
          {"halt_on_exception", plan.halt_on_exception}};
}

}  // namespace agdf::http
