#include "builtin.hpp"

namespace agdf::builtin {

void register_echo(Registry& registry) {
  registry.add({
      .name = "echo",
      .description = "Yields its input, then each of config.then.",
      .params = {{"item", std::nullopt}},
      .config_keys = {{"then", "items to yield after the input", Json::array({"done"}), false}},
      .prepare =
          [](const Json& config) {
            ConfigReader reader(config);
            auto then = reader.get<Json::array_t>("then", {}, "an array");
            if (!reader.ok()) return Prepared::fail(std::move(reader.problems()));
            return Prepared::ok({[then](NodeContext& ctx, Args args) -> asio::awaitable<void> {
              co_await ctx.emit(std::move(args[0]));
              for (const Json& value : then) co_await ctx.emit(value);
            }});
          },
  });
}

}  // namespace agdf::builtin
