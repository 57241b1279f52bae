#include "builtin.hpp"
#include "text.hpp"

namespace agdf::builtin {

void register_print(Registry& registry) {
  registry.add({
      .name = "print",
      .description = "Logs its input to the run, then yields null once.",
      .params = {{"item", Json()}},
      .config_keys = {},
      .prepare =
          [](const Json&) {
            return bind_without_config([](NodeContext& ctx, Args args) -> asio::awaitable<void> {
              ctx.log(as_text(args[0]));
              co_await ctx.emit(Json());
            });
          },
  });
}

}  // namespace agdf::builtin
