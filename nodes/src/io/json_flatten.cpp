#include "io.hpp"
#include "records.hpp"

namespace agdf::io {
namespace {

void flatten_into(Json& out, const std::string& prefix, const Json& value,
                  const std::string& separator) {
  if (!value.is_object() || value.empty() || is_tuple(value)) {
    out[prefix] = value;
    return;
  }
  for (const auto& [key, inner] : value.items())
    flatten_into(out, prefix.empty() ? key : prefix + separator + key, inner, separator);
}

Json flatten(const Json& record, const std::string& separator) {
  Json out = Json::object();
  for (const auto& [key, value] : record.items()) flatten_into(out, key, value, separator);
  return out;
}

Prepared prepare(const Json& json) {
  ConfigReader reader(json);
  const auto separator = reader.get<std::string>("separator", ".", "a string");
  if (separator.empty()) reader.problem("config.separator must not be empty");
  if (!reader.ok()) return Prepared::fail(std::move(reader.problems()));

  return Prepared::ok({[separator](NodeContext& ctx, Args args) -> asio::awaitable<void> {
    Json out = reshape_records(std::move(args[0]), "json.flatten",
                               [&](const Json& r) { return flatten(r, separator); });
    co_await ctx.emit(std::move(out));
  }});
}

}  // namespace

void register_json_flatten(Registry& registry) {
  registry.add({
      .name = "json.flatten",
      .description = "Turns nested objects of a record (or of each record of a list) into "
                     "top-level keys joined by a separator: {\"a\": {\"b\": 1}} -> {\"a.b\": 1}. "
                     "Lists stay as they are.",
      .params = {{"record", std::nullopt}},
      .config_keys = {{"separator", "what joins the keys", ".", false}},
      .prepare = prepare,
  });
}

}  // namespace agdf::io
