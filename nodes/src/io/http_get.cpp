#include "http_config.hpp"
#include "io.hpp"

namespace agdf::io {
namespace {

Prepared prepare(const Json& json, const ValidationContext& context) {
  ConfigReader reader(json);
  const HttpConfig config = read_http_config(reader, context);
  const auto response = reader.get<std::string>("response", "json", "a string");
  if (response != "json" && response != "text")
    reader.problem("config.response must be \"json\" or \"text\"");
  if (!reader.ok()) return Prepared::fail(std::move(reader.problems()));

  const bool as_json = response == "json";
  return Prepared::ok({[config, as_json](NodeContext& ctx, Args args) -> asio::awaitable<void> {
    const std::string url = url_for_call(config, args[0], args[1]);
    const HttpSettings settings = co_await settings_for_call(ctx, config);
    HttpResponse reply = co_await http_get(ctx, url, settings);
    Json body = as_json ? parse_json_body(reply, url) : Json(std::move(reply.body));
    co_await ctx.emit(std::move(body));
  }});
}

}  // namespace

void register_http_get(Registry& registry) {
  auto keys = http_config_keys("https://api.openbrewerydb.org/v1/breweries/meta",
                               Json{{"by_country", "United States"}});
  keys.push_back({"response", "\"json\": yield the decoded body; \"text\": yield it as a string",
                  "json", false});
  registry.add({
      .name = "http.get",
      .description = "GETs a URL (config.url, or the call's `url`, with config.params and the "
                     "call's `params` as the query) and yields the body: decoded JSON, or text.",
      .params = http_params(),
      .config_keys = std::move(keys),
      .prepare_in = prepare,
  });
}

}  // namespace agdf::io
