#include "builtin.hpp"

namespace agdf::builtin {

void register_values(Registry& registry) {
  registry.add({
      .name = "values",
      .description = "Yields config.values in order, optionally waiting delay_ms before each.",
      .params = {},
      .config_keys = {{"values", "the items to yield", Json::array({1, 2, 3}), true},
                      delay_ms_key("each item")},
      .prepare =
          [](const Json& config) {
            ConfigReader reader(config);
            auto values = reader.get<Json::array_t>("values", {}, "an array");
            auto delay = read_delay_ms(reader);
            if (!reader.ok()) return Prepared::fail(std::move(reader.problems()));
            return Prepared::ok({[values, delay](NodeContext& ctx, Args) -> asio::awaitable<void> {
              for (const Json& value : values) {
                if (delay > 0) co_await ctx.sleep_for(milliseconds(delay));
                co_await ctx.emit(value);
              }
            }});
          },
  });
}

}  // namespace agdf::builtin
