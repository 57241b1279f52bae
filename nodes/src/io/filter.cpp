#include "agdf/nodes/condition.hpp"
#include "io.hpp"

namespace agdf::io {
namespace {

Prepared prepare(const Json& json) {
  ConfigReader reader(json);
  const bool each = reader.get<bool>("each", false, "a boolean");
  Json source = json;
  source.erase("each");
  ParsedCondition parsed = parse_condition(source);
  for (auto& problem : parsed.problems) reader.problem("config: " + problem);
  if (!reader.ok()) return Prepared::fail(std::move(reader.problems()));

  return Prepared::ok({[condition = std::move(*parsed.condition), each](
                           NodeContext& ctx, Args args) -> asio::awaitable<void> {
    Json& item = args[0];
    if (!(each && item.is_array())) {
      if (condition.matches(item)) co_await ctx.emit(std::move(item));
      co_return;
    }
    Json kept = Json::array();
    for (Json& element : item)
      if (condition.matches(element)) kept.push_back(std::move(element));
    if (!kept.empty()) co_await ctx.emit(std::move(kept));
  }});
}

}  // namespace

void register_filter(Registry& registry) {
  registry.add({
      .name = "filter",
      .description = "Passes its input on when it satisfies the condition in config (the "
                     "condition language of conditional edges); with `each`, a list input "
                     "passes on the list of its elements that satisfy it, if any.",
      .params = {{"item", std::nullopt}},
      .config_keys =
          {{"field", "a dotted path with optional [index] parts; default: the item", "state",
            false},
           {"op", "== != < <= > >= in not_in contains exists", "==", false},
           {"value", "what the field is compared with", "Oregon", false},
           {"all", "every one of these conditions holds",
            Json::array({Json{{"field", "state"}, {"op", "=="}, {"value", "Oregon"}}}), false},
           {"any", "at least one of these conditions holds",
            Json::array({Json{{"field", "brewery_type"}, {"op", "=="}, {"value", "micro"}}}),
            false},
           {"not", "this condition does not hold", Json{{"field", "phone"}, {"op", "exists"}},
            false},
           {"each", "filter a list input element by element", true, false}},
      .prepare = prepare,
  });
}

}  // namespace agdf::io
