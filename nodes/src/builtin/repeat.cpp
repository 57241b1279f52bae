#include "builtin.hpp"

namespace agdf::builtin {

void register_repeat(Registry& registry) {
  registry.add({
      .name = "repeat",
      .description =
          "Yields its input config.times times, optionally waiting delay_ms before each.",
      .params = {{"item", std::nullopt}},
      .config_keys = {{"times", "how many copies to yield", 3, true}, delay_ms_key("each copy")},
      .prepare =
          [](const Json& config) {
            ConfigReader reader(config);
            auto times = reader.get<std::int64_t>("times", 0, "an integer");
            if (times < 0) reader.problem("config.times must be >= 0");
            auto delay = read_delay_ms(reader);
            if (!reader.ok()) return Prepared::fail(std::move(reader.problems()));
            return Prepared::ok(
                {[times, delay](NodeContext& ctx, Args args) -> asio::awaitable<void> {
                  for (std::int64_t i = 0; i < times; ++i) {
                    if (delay > 0) co_await ctx.sleep_for(milliseconds(delay));
                    co_await ctx.emit(args[0]);
                  }
                }});
          },
  });
}

}  // namespace agdf::builtin
