#include "io.hpp"
#include "records.hpp"

namespace agdf::io {
namespace {

struct Pick {
  std::string from;  ///< a key or dotted path in the input
  std::string to;    ///< the key in the output
};

Json pick(const Json& record, const std::vector<Pick>& picks, bool missing_as_null) {
  Json out = Json::object();
  for (const Pick& p : picks) {
    if (const Json* value = find_field(record, p.from))
      out[p.to] = *value;
    else if (missing_as_null)
      out[p.to] = nullptr;
  }
  return out;
}

Prepared prepare(const Json& json) {
  ConfigReader reader(json);
  std::vector<Pick> picks;
  const Json fields = reader.get<Json>("fields", Json::array(), "a list of names or an object");
  if (fields.is_array()) {
    for (const Json& name : fields) {
      if (name.is_string())
        picks.push_back({name.get<std::string>(), name.get<std::string>()});
      else
        reader.problem("config.fields must list names (strings)");
    }
  } else if (fields.is_object()) {
    for (const auto& [from, to] : fields.items()) {
      if (to.is_string())
        picks.push_back({from, to.get<std::string>()});
      else
        reader.problem("config.fields." + from + " must be the new name (a string)");
    }
  } else {
    reader.problem("config.fields must be a list of names or an object {\"old\": \"new\"}");
  }
  const auto missing = reader.get<std::string>("missing", "skip", "a string");
  if (missing != "skip" && missing != "null")
    reader.problem("config.missing must be \"skip\" or \"null\"");
  if (!reader.ok()) return Prepared::fail(std::move(reader.problems()));

  const bool as_null = missing == "null";
  return Prepared::ok({[picks, as_null](NodeContext& ctx, Args args) -> asio::awaitable<void> {
    Json out = reshape_records(std::move(args[0]), "json.pick",
                               [&](const Json& r) { return pick(r, picks, as_null); });
    co_await ctx.emit(std::move(out));
  }});
}

}  // namespace

void register_json_pick(Registry& registry) {
  registry.add({
      .name = "json.pick",
      .description = "Keeps only the configured fields of a record (or of each record of a "
                     "list), optionally renaming them; a dotted name reaches into nested objects.",
      .params = {{"record", std::nullopt}},
      .config_keys = {{"fields",
                       "the fields to keep: a list of names, or {\"old\": \"new\"} to rename",
                       Json{{"id", "id"}, {"address.city", "city"}}, true},
                      {"missing", "a field the record lacks: \"skip\" it, or set it to \"null\"",
                       "skip", false}},
      .prepare = prepare,
  });
}

}  // namespace agdf::io
