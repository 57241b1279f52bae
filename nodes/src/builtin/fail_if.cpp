#include <algorithm>

#include "agdf/nodes/node_error.hpp"
#include "builtin.hpp"
#include "text.hpp"

namespace agdf::builtin {

void register_fail_if(Registry& registry) {
  registry.add({
      .name = "fail_if",
      .description = "Raises \"intentional error for X\" when the input X is one of config.values, "
                     "else yields it; optionally waits delay_ms first.",
      .params = {{"item", std::nullopt}},
      .config_keys = {{"values", "inputs that raise an error", Json::array({"Data3"}), true},
                      delay_ms_key("handling the input")},
      .prepare =
          [](const Json& config) {
            ConfigReader reader(config);
            auto values = reader.get<Json::array_t>("values", {}, "an array");
            auto delay = read_delay_ms(reader);
            if (!reader.ok()) return Prepared::fail(std::move(reader.problems()));
            return Prepared::ok(
                {[values, delay](NodeContext& ctx, Args args) -> asio::awaitable<void> {
                  if (delay > 0) co_await ctx.sleep_for(milliseconds(delay));
                  if (std::ranges::find(values, args[0]) != values.end())
                    throw NodeError("ValueError", "intentional error for " + as_text(args[0]));
                  co_await ctx.emit(std::move(args[0]));
                }});
          },
  });
}

}  // namespace agdf::builtin
