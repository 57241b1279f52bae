#pragma once
/// The fixed bounds of a graph, checked when it is validated (see README, "Limits and hostile
/// input"). They keep a single request from costing the daemon more than it can give: a
/// value past one is a problem naming the field and the bound, never a crash.
/// Millisecond settings share agdf::kMaxMilliseconds (30 days); JSON nesting agdf::kMaxJsonDepth.

#include <cstddef>
#include <cstdint>

#include "agdf/nodes/limits.hpp"

namespace agdf::engine::bounds {

inline constexpr std::size_t kNodes = 10'000;       ///< nodes in one graph
inline constexpr std::size_t kEdges = 100'000;      ///< edges in one graph
inline constexpr std::size_t kNameBytes = 256;      ///< a node's (or function's) name
inline constexpr std::int64_t kMaxTasks = 100'000;  ///< max_tasks of one node (tasks start lazily)
inline constexpr std::int64_t kQueueSize = 1'000'000;    ///< queue_size of one node
inline constexpr std::int64_t kMaxExceptions = 100'000;  ///< error records kept per node
inline constexpr std::int64_t kRetryAttempts = 1'000;    ///< retry.attempts

}  // namespace agdf::engine::bounds
