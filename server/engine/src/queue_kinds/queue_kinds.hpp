#pragma once
// Registration entry points of the built-in queue kinds, one file each.

#include "agdf/engine/queue_kind.hpp"
#include "agdf/nodes/config_reader.hpp"

namespace agdf::engine::queue_kinds {

void register_fifo(QueueKindRegistry& registry);
void register_batch(QueueKindRegistry& registry);
void register_zip(QueueKindRegistry& registry);
void register_preload(QueueKindRegistry& registry);

}  // namespace agdf::engine::queue_kinds
