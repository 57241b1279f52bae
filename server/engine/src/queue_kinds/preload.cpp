#include "queue_kinds.hpp"

namespace agdf::engine::queue_kinds {

void register_preload(QueueKindRegistry& registry) {
  registry.add({
      .name = "preload",
      .description = "A FIFO holding `items` when the run starts; the node processes them even "
                     "if it is not a start node.",
      .config_keys = {{"items", "the items placed in the queue at the start", Json::array({1, 2}),
                       true}},
      .prepare =
          [](const Json& config, const QueueNodeInfo&) {
            PreparedQueue out;
            ConfigReader reader(config, "queue.");
            out.preload = reader.get<Json::array_t>("items", {}, "an array");
            out.problems = std::move(reader.problems());
            return out;
          },
  });
}

}  // namespace agdf::engine::queue_kinds
