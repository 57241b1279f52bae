#include "agdf/nodes/quote.hpp"
#include "http_config.hpp"
#include "io.hpp"
#include "records.hpp"

namespace agdf::io {
namespace {

struct Paging {
  std::string page_param = "page";
  std::int64_t first_page = 1;
  std::string page_size_param;  ///< empty: no page size is sent
  std::int64_t page_size = 0;
  std::int64_t max_pages = 0;  ///< 0: until an empty page
  std::string records_field;   ///< empty: the body is the list of records
};

Paging read_paging(ConfigReader& reader) {
  Paging p;
  p.page_param = reader.get<std::string>("page_param", p.page_param, "a string");
  if (p.page_param.empty()) reader.problem("config.page_param must not be empty");
  p.first_page = reader.get<std::int64_t>("first_page", p.first_page, "an integer");
  p.page_size_param = reader.get<std::string>("page_size_param", "", "a string");
  p.page_size = reader.get<std::int64_t>("page_size", 0, "an integer");
  if (p.page_size_param.empty() != (p.page_size == 0))
    reader.problem("config.page_size_param and config.page_size go together");
  if (p.page_size < 0) reader.problem("config.page_size must be >= 1");
  p.max_pages = reader.get<std::int64_t>("max_pages", 0, "an integer");
  if (p.max_pages < 0) reader.problem("config.max_pages must be >= 0 (0: no limit)");
  p.records_field = reader.get<std::string>("records_field", "", "a string");
  return p;
}

/// The records of one page: the body, or the list at records_field.
Json::array_t page_records(Json body, const Paging& paging, const std::string& url) {
  Json list;
  if (paging.records_field.empty())
    list = std::move(body);
  else if (const Json* at = find_field(body, paging.records_field))
    list = *at;
  if (!list.is_array() || is_tuple(list))
    throw NodeError("ValueError",
                    "GET " + url + ": expected a list of records" +
                        (paging.records_field.empty() ? "" : " at " + quote(paging.records_field)) +
                        ", got " + type_name(list));
  return std::move(list.get_ref<Json::array_t&>());
}

Prepared prepare(const Json& json, const ValidationContext& context) {
  ConfigReader reader(json);
  const HttpConfig config = read_http_config(reader, context);
  const Paging paging = read_paging(reader);
  if (!reader.ok()) return Prepared::fail(std::move(reader.problems()));

  return Prepared::ok({[config, paging](NodeContext& ctx, Args args) -> asio::awaitable<void> {
    const HttpSettings settings = co_await settings_for_call(ctx, config);
    Json params = args[1].is_object() ? args[1] : Json::object();
    if (!paging.page_size_param.empty()) params[paging.page_size_param] = paging.page_size;
    for (std::int64_t n = 0; paging.max_pages == 0 || n < paging.max_pages; ++n) {
      params[paging.page_param] = paging.first_page + n;
      const std::string url = url_for_call(config, args[0], params);
      HttpResponse reply = co_await http_get(ctx, url, settings);
      Json records = page_records(parse_json_body(reply, url), paging, url);
      if (records.empty()) co_return;
      co_await ctx.emit(std::move(records));
    }
  }});
}

}  // namespace

void register_http_paginate(Registry& registry) {
  auto keys = http_config_keys("https://api.openbrewerydb.org/v1/breweries",
                               Json{{"by_country", "United States"}});
  keys.push_back({"page_param", "the query parameter holding the page number", "page", false});
  keys.push_back({"first_page", "the number of the first page", 1, false});
  keys.push_back(
      {"page_size_param", "the query parameter holding the page size", "per_page", false});
  keys.push_back({"page_size", "the page size to ask for (with page_size_param)", 200, false});
  keys.push_back({"max_pages", "stop after this many pages; 0: at the first empty page", 0, false});
  keys.push_back({"records_field",
                  "where the list is when a page is an object (a key or dotted path); default: "
                  "the page is the list",
                  "data", false});
  registry.add({
      .name = "http.paginate",
      .description = "GETs page after page (page number and size as query parameters, besides "
                     "config.params) and yields each page's records as one list, until an empty "
                     "page or max_pages.",
      .params = http_params(),
      .config_keys = std::move(keys),
      .prepare_in = prepare,
  });
}

}  // namespace agdf::io
