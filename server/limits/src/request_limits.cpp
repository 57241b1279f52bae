#include "agdf/limits/request_limits.hpp"

#include "agdf/engine/graph_bounds.hpp"
#include "agdf/nodes/quote.hpp"

namespace agdf::limits {
namespace {

std::string over(const std::string& what, std::uint64_t value, std::uint64_t limit,
                 const char* flag) {
  return what + " " + std::to_string(value) + " is over the limit of " + std::to_string(limit) +
         " (" + flag + ")";
}

}  // namespace

std::optional<std::string> graph_bytes_problem(std::size_t bytes, const RequestLimits& limits) {
  if (bytes <= limits.max_graph_bytes) return std::nullopt;
  return over("the graph's size in bytes,", bytes, limits.max_graph_bytes, "--max-graph-bytes");
}

engine::Problems check_graph(const engine::GraphSpec& spec, const RequestLimits& limits) {
  namespace bounds = engine::bounds;
  engine::Problems problems;
  // Past the graph format's fixed bounds validation reports the value (and looks no further
  // into an oversized graph); a limit repeats only what is within them, and sums of values
  // within them cannot overflow.
  if (spec.nodes.size() > bounds::kNodes) return problems;
  if (spec.nodes.size() > limits.max_nodes)
    problems.push_back({"graph", over("the number of nodes,", spec.nodes.size(), limits.max_nodes,
                                      "--max-nodes")});
  std::uint64_t tasks = 0;
  std::uint64_t queue_sizes = 0;
  for (std::size_t i = 0; i < spec.nodes.size(); ++i) {
    const engine::NodeSpec& node = spec.nodes[i];
    // Named as validation names it: a name too long to repeat is an index.
    const std::string where = node.name.size() > bounds::kNameBytes
                                  ? "nodes[" + std::to_string(i) + "]"
                                  : "node " + quote(node.name);
    // Negative values and values past the format's bounds are validation's to report; they
    // add nothing here.
    const std::int64_t max_tasks = node.max_tasks <= bounds::kMaxTasks ? node.max_tasks : 0;
    const std::int64_t queue_size = node.queue_size <= bounds::kQueueSize ? node.queue_size : 0;
    if (max_tasks > limits.max_tasks_per_node)
      problems.push_back({where, over("max_tasks", static_cast<std::uint64_t>(max_tasks),
                                      static_cast<std::uint64_t>(limits.max_tasks_per_node),
                                      "--max-tasks-per-node")});
    if (queue_size > limits.max_queue_size_per_node)
      problems.push_back({where, over("queue_size", static_cast<std::uint64_t>(queue_size),
                                      static_cast<std::uint64_t>(limits.max_queue_size_per_node),
                                      "--max-queue-size-per-node")});
    if (max_tasks > 0) tasks += static_cast<std::uint64_t>(max_tasks);
    if (queue_size > 0) queue_sizes += static_cast<std::uint64_t>(queue_size);
  }
  if (tasks > static_cast<std::uint64_t>(limits.max_tasks_per_run))
    problems.push_back({"graph", over("max_tasks summed over the nodes,", tasks,
                                      static_cast<std::uint64_t>(limits.max_tasks_per_run),
                                      "--max-tasks-per-run")});
  if (queue_sizes > static_cast<std::uint64_t>(limits.max_queue_size_per_run))
    problems.push_back({"graph", over("queue_size summed over the nodes,", queue_sizes,
                                      static_cast<std::uint64_t>(limits.max_queue_size_per_run),
                                      "--max-queue-size-per-run")});
  return problems;
}

engine::Problems check_plan(const engine::Plan& plan, const RequestLimits& limits) {
  std::size_t preloaded = 0;
  for (const auto& node : plan.nodes) preloaded += node.queue.preload.size();
  if (preloaded <= limits.max_preloaded_items) return {};
  return {{"graph", over("the number of preloaded items,", preloaded, limits.max_preloaded_items,
                         "--max-preloaded-items")}};
}

}  // namespace agdf::limits
