#include "agdf/limits/request_limits.hpp"

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
  engine::Problems problems;
  if (spec.nodes.size() > limits.max_nodes)
    problems.push_back({"graph", over("the number of nodes,", spec.nodes.size(), limits.max_nodes,
                                      "--max-nodes")});
  std::uint64_t tasks = 0;
  std::uint64_t queue_sizes = 0;
  for (const auto& node : spec.nodes) {
    const std::string where = "node '" + node.name + "'";
    if (node.max_tasks > limits.max_tasks_per_node)
      problems.push_back({where, over("max_tasks", static_cast<std::uint64_t>(node.max_tasks),
                                      static_cast<std::uint64_t>(limits.max_tasks_per_node),
                                      "--max-tasks-per-node")});
    if (node.queue_size > limits.max_queue_size_per_node)
      problems.push_back({where, over("queue_size", static_cast<std::uint64_t>(node.queue_size),
                                      static_cast<std::uint64_t>(limits.max_queue_size_per_node),
                                      "--max-queue-size-per-node")});
    // Negative values are validation's to report; they add nothing here.
    if (node.max_tasks > 0) tasks += static_cast<std::uint64_t>(node.max_tasks);
    if (node.queue_size > 0) queue_sizes += static_cast<std::uint64_t>(node.queue_size);
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
