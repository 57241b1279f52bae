#include "builtin.hpp"

namespace agdf::builtin {

void register_range(Registry& registry) {
  registry.add({
      .name = "range",
      .description = "Yields the integers start, start+step, ... up to but excluding stop "
                     "(Python's range).",
      .params = {},
      .config_keys = {{"start", "first integer (default 0)", 0, false},
                      {"stop", "end, excluded", 10, true},
                      {"step", "increment, not 0 (default 1)", 1, false}},
      .prepare =
          [](const Json& config) {
            ConfigReader reader(config);
            auto start = reader.get<std::int64_t>("start", 0, "an integer");
            auto stop = reader.get<std::int64_t>("stop", 0, "an integer");
            auto step = reader.get<std::int64_t>("step", 1, "an integer");
            if (step == 0) reader.problem("config.step must not be 0");
            if (!reader.ok()) return Prepared::fail(std::move(reader.problems()));
            return Prepared::ok(
                {{}, [start, stop, step](NodeContext& ctx, Args) -> asio::awaitable<void> {
                   for (std::int64_t i = start; step > 0 ? i < stop : i > stop; i += step)
                     co_await ctx.emit(i);
                 }});
          },
  });
}

}  // namespace agdf::builtin
