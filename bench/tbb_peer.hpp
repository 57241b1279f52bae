#pragma once
// The peer the engine is measured against: the same graphs as oneTBB flow graphs, run on
// one thread, carrying the same item type (agdf::Item). Returns the seconds a run took.

#include <cstdint>

namespace agdf::bench {

enum class TbbConcurrency { serial, unlimited };

/// input_node -> function_node (relay) -> function_node (sink): `items` integers.
double tbb_linear_seconds(std::int64_t items, TbbConcurrency concurrency);

/// input_node -> broadcast_node -> `width` x (function_node relay -> function_node sink).
double tbb_fan_out_seconds(std::int64_t items, int width, TbbConcurrency concurrency);

}  // namespace agdf::bench
