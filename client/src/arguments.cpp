#include "agdf/client/arguments.hpp"

#include <nlohmann/json.hpp>

namespace agdf::client {

Parsed<StartArgument> parse_start_argument(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos)
    return Parsed<StartArgument>::fail("--start expects NODE=JSON_ARGS, got '" + std::string(text) +
                                       "'");
  std::string node(text.substr(0, eq));
  if (node.empty())
    return Parsed<StartArgument>::fail("--start needs a node name before '=' in '" +
                                       std::string(text) + "'");
  const auto args = nlohmann::json::parse(text.substr(eq + 1), nullptr, false);
  if (args.is_discarded() || !args.is_array())
    return Parsed<StartArgument>::fail("--start " + node +
                                       ": the arguments must be a JSON array, such as [] or "
                                       "[\"a\", 1]");
  return Parsed<StartArgument>::ok({std::move(node), args.dump()});
}

Parsed<LabelArgument> parse_label_argument(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0)
    return Parsed<LabelArgument>::fail("--label expects K=V with a non-empty key, got '" +
                                       std::string(text) + "'");
  return Parsed<LabelArgument>::ok(
      {std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))});
}

}  // namespace agdf::client
