#include "builtin.hpp"

namespace agdf::builtin {

void register_sleep(Registry& registry) {
  registry.add({
      .name = "sleep",
      .description = "Waits config.ms milliseconds, then yields its input unchanged.",
      .params = {{"item", Json()}},
      .config_keys = {{"ms", "milliseconds to wait", 100, true}},
      .prepare =
          [](const Json& config) {
            ConfigReader reader(config);
            auto ms = reader.get_milliseconds("ms", milliseconds(0)).count();
            if (!reader.ok()) return Prepared::fail(std::move(reader.problems()));
            return Prepared::ok({[ms](NodeContext& ctx, Args args) -> asio::awaitable<void> {
              co_await ctx.sleep_for(milliseconds(ms));
              co_await ctx.emit(std::move(args[0]));
            }});
          },
  });
}

}  // namespace agdf::builtin
