#include <cctype>

#include "agdf/nodes/node_error.hpp"
#include "builtin.hpp"

namespace agdf::builtin {
namespace {

/// Python's str.title() for ASCII: a letter after a letter is lowered, any other
/// letter is raised ("they're bill's" -> "They'Re Bill'S", as Python does).
std::string title_case(std::string text) {
  bool previous_is_letter = false;
  for (char& c : text) {
    const auto u = static_cast<unsigned char>(c);
    const bool letter = std::isalpha(u) != 0;
    if (letter) c = static_cast<char>(previous_is_letter ? std::tolower(u) : std::toupper(u));
    previous_is_letter = letter;
  }
  return text;
}

}  // namespace

void register_title_case(Registry& registry) {
  registry.add({
      .name = "title_case",
      .description = "Yields its string input in title case (Python's str.title).",
      .params = {{"text", std::nullopt}},
      .config_keys = {},
      .prepare =
          [](const Json&) {
            return bind_without_config([](NodeContext& ctx, Args args) -> asio::awaitable<void> {
              if (!args[0].is_string())
                throw NodeError("TypeError",
                                "title_case() needs a string, got " + to_display(args[0]));
              co_await ctx.emit(title_case(args[0].get<std::string>()));
            });
          },
  });
}

}  // namespace agdf::builtin
