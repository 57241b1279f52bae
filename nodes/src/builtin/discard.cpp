#include "builtin.hpp"

namespace agdf::builtin {

void register_discard(Registry& registry) {
  registry.add({
      .name = "discard",
      .description = "Takes its input and yields nothing.",
      .params = {{"item", std::nullopt}},
      .config_keys = {},
      .prepare =
          [](const Json&) {
            return bind_without_config(
                [](NodeContext&, Args) -> asio::awaitable<void> { co_return; });
          },
  });
}

}  // namespace agdf::builtin
