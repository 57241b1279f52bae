#pragma once
/// The operator's limits on what one client may ask of the daemon (flags of
/// `agdf-server serve`, README "Security"). Each refusal names the limit and its flag.
/// Fixed sanity bounds of the graph format itself live in engine validation; these are
/// the configurable ones.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "agdf/engine/graph_spec.hpp"
#include "agdf/engine/plan.hpp"
#include "agdf/engine/problem.hpp"

namespace agdf::limits {

struct RequestLimits {
  std::size_t max_message_bytes = 4 << 20;          ///< --max-message-bytes (gRPC receive)
  std::size_t max_graph_bytes = 1 << 20;            ///< --max-graph-bytes
  std::size_t max_nodes = 1000;                     ///< --max-nodes
  std::size_t max_preloaded_items = 100'000;        ///< --max-preloaded-items
  std::int64_t max_tasks_per_node = 1000;           ///< --max-tasks-per-node
  std::int64_t max_tasks_per_run = 10'000;          ///< --max-tasks-per-run
  std::int64_t max_queue_size_per_node = 100'000;   ///< --max-queue-size-per-node
  std::int64_t max_queue_size_per_run = 1'000'000;  ///< --max-queue-size-per-run
  std::size_t max_runs_per_principal = 1000;        ///< --max-runs-per-principal
};

/// Why a graph of `bytes` bytes (as sent) is refused, or nullopt.
std::optional<std::string> graph_bytes_problem(std::size_t bytes, const RequestLimits& limits);

/// Nodes, max_tasks and queue_size against the limits: one problem per limit exceeded.
engine::Problems check_graph(const engine::GraphSpec& spec, const RequestLimits& limits);

/// Items preloaded into queues (every queue kind's preload, e.g. `preload` and `batch`)
/// against the limit; needs the validated plan, where the queue kinds have read them.
engine::Problems check_plan(const engine::Plan& plan, const RequestLimits& limits);

}  // namespace agdf::limits
