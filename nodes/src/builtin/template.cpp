#include <algorithm>
#include <cctype>
#include <map>

#include "agdf/nodes/quote.hpp"
#include "builtin.hpp"
#include "text.hpp"

namespace agdf::builtin {
namespace {

using ParamIndex = std::map<std::string, std::size_t, std::less<>>;

/// Calls `found(open, close)` for each {...} of `text` holding no other brace. A scan stops
/// at the next brace of either kind, so the whole walk is linear in the text.
template <typename Found>
void for_each_braced(const std::string& text, Found found) {
  for (std::size_t open = text.find('{'); open != std::string::npos;) {
    const std::size_t next = text.find_first_of("{}", open + 1);
    if (next == std::string::npos) return;
    if (text[next] == '}') found(open, next);
    open = text[next] == '{' ? next : text.find('{', next + 1);
  }
}

/// Replaces every {name} of a parameter with its argument; other braces stay as they are.
std::string fill(const std::string& text, const ParamIndex& params, Args args) {
  std::string out;
  std::size_t copied = 0;
  for_each_braced(text, [&](std::size_t open, std::size_t close) {
    auto it = params.find(std::string_view(text).substr(open + 1, close - open - 1));
    if (it == params.end()) return;
    out.append(text, copied, open - copied);
    out += as_text(args[it->second]);
    copied = close + 1;
  });
  out.append(text, copied);
  return out;
}

/// A {word} (letters, digits, _) that names no parameter would stay in the output as it
/// is, which is never what was meant: each one is a problem.
void check_placeholders(const std::string& text, const ParamIndex& params, ConfigReader& reader) {
  const auto is_word = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
  };
  for_each_braced(text, [&](std::size_t open, std::size_t close) {
    const std::string_view name = std::string_view(text).substr(open + 1, close - open - 1);
    if (name.empty() || !std::all_of(name.begin(), name.end(), is_word)) return;
    if (!params.contains(name))
      reader.problem("config.template has the placeholder {" + shorten(name) +
                     "}, which is not one of config.params");
  });
}

std::vector<Param> read_params(const Json::array_t& declared, ConfigReader& reader) {
  std::vector<Param> params;
  for (const Json& p : declared) {
    if (p.is_string())
      params.push_back({p.get<std::string>(), std::nullopt});
    else if (p.is_object() && p.contains("name") && p["name"].is_string())
      params.push_back({p["name"].get<std::string>(),
                        p.contains("default") ? std::optional<Json>(p["default"]) : std::nullopt});
    else
      reader.problem("config.params entries must be names or {\"name\", \"default\"} objects");
  }
  return params;
}

/// Parameter names are unique and non-empty, and hold no brace (a placeholder cannot).
ParamIndex index_params(const std::vector<Param>& params, ConfigReader& reader) {
  ParamIndex index;
  for (std::size_t i = 0; i < params.size(); ++i) {
    const std::string& name = params[i].name;
    if (name.empty())
      reader.problem("config.params has an empty name");
    else if (name.find_first_of("{}") != std::string::npos)
      reader.problem("config.params name " + quote(name) + " must not contain { or }");
    else if (!index.emplace(name, i).second)
      reader.problem("config.params names " + quote(name) + " twice");
  }
  return index;
}

}  // namespace

void register_template(Registry& registry) {
  registry.add({
      .name = "template",
      .description = "Takes the parameters named in config.params (a name, or {\"name\", "
                     "\"default\"}) and yields config.template with each {name} filled in.",
      .params = {},
      .config_keys = {{"params", "the parameters, in order", Json::array({"greeting", "name"}),
                       true},
                      {"template", "the text to fill", "{greeting}, {name}!", true}},
      .prepare =
          [](const Json& config) {
            ConfigReader reader(config);
            auto declared = reader.get<Json::array_t>("params", {}, "an array");
            auto text = reader.get<std::string>("template", "", "a string");
            std::vector<Param> params = read_params(declared, reader);
            ParamIndex index = index_params(params, reader);
            check_placeholders(text, index, reader);
            if (!reader.ok()) return Prepared::fail(std::move(reader.problems()));
            // The signature comes from the config: the one override of the declared params.
            return Prepared::ok(
                {.body = [index, text](NodeContext& ctx, Args args) -> asio::awaitable<void> {
                   co_await ctx.emit(fill(text, index, args));
                 },
                 .params = std::move(params)});
          },
  });
}

}  // namespace agdf::builtin
