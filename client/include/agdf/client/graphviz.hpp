#pragma once
/// Renders DOT text to SVG with Graphviz's `dot`, when it is installed.

#include <optional>
#include <string>
#include <string_view>

namespace agdf::client {

/// The full path of an executable `name` on $PATH, or nullopt.
std::optional<std::string> find_on_path(std::string_view name);

struct SvgResult {
  std::optional<std::string> svg;  ///< set when dot succeeded
  bool dot_missing = false;        ///< Graphviz's dot is not on $PATH
  std::string error;               ///< why it failed, otherwise
};

/// Runs `dot -Tsvg` on `dot_text`.
SvgResult render_svg(const std::string& dot_text);

}  // namespace agdf::client
