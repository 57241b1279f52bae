#pragma once
// A run's graph as the dashboard draws it: nodes with their function, queue kind and
// options, edges with their condition both as written and as text.

#include <nlohmann/json.hpp>

#include "agdf/engine/plan.hpp"

namespace agdf::http {

/// {"nodes": [{"name", "function", "queue", "queue_config", "max_tasks", "queue_size",
/// "unpack_input", "halt_on_exception", "timeout_ms", "retry", "start"}],
///  "edges": [{"from", "to", "when", "condition"}], "halt_on_exception"}
nlohmann::ordered_json graph_json(const engine::Plan& plan);

}  // namespace agdf::http
