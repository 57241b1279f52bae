#include "builtin.hpp"
#include "text.hpp"

namespace agdf::builtin {
namespace {

/// Replaces every {name} of a parameter with its argument; other braces stay as they are.
std::string fill(const std::string& text, const std::vector<Param>& params, Args args) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    bool replaced = false;
    if (text[i] == '{') {
      for (std::size_t p = 0; p < params.size() && !replaced; ++p) {
        const std::string& name = params[p].name;
        if (text.compare(i + 1, name.size(), name) == 0 && i + 1 + name.size() < text.size() &&
            text[i + 1 + name.size()] == '}') {
          out += as_text(args[p]);
          i += name.size() + 2;
          replaced = true;
        }
      }
    }
    if (!replaced) out += text[i++];
  }
  return out;
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
            std::vector<Param> params;
            for (const Json& p : declared) {
              if (p.is_string())
                params.push_back({p.get<std::string>(), std::nullopt});
              else if (p.is_object() && p.contains("name") && p["name"].is_string())
                params.push_back(
                    {p["name"].get<std::string>(),
                     p.contains("default") ? std::optional<Json>(p["default"]) : std::nullopt});
              else
                reader.problem(
                    "config.params entries must be names or {\"name\", \"default\"} objects");
            }
            if (!reader.ok()) return Prepared::fail(std::move(reader.problems()));
            return Prepared::ok(
                {params, [params, text](NodeContext& ctx, Args args) -> asio::awaitable<void> {
                   co_await ctx.emit(fill(text, params, args));
                 }});
          },
  });
}

}  // namespace agdf::builtin
