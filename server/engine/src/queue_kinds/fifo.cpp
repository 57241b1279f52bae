#include "queue_kinds.hpp"

namespace agdf::engine::queue_kinds {

void register_fifo(QueueKindRegistry& registry) {
  registry.add({
      .name = "fifo",
      .description = "First in, first out, bounded by queue_size (the default).",
      .config_keys = {},
      .prepare = [](const Json&, const QueueNodeInfo&) { return PreparedQueue{}; },
  });
}

}  // namespace agdf::engine::queue_kinds
