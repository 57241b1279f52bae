// agdf graph FILE --format mermaid|dot|svg: draw a graph file locally (no daemon).
#include <iostream>
#include <memory>

#include "agdf/client/exit_codes.hpp"
#include "agdf/client/graph_drawing.hpp"
#include "agdf/client/graphviz.hpp"
#include "command.hpp"
#include "output.hpp"

namespace agdf::client::cli {
namespace {

struct GraphOptions {
  std::string file;
  std::string format = "mermaid";
  bool with_functions = false;
  bool plain = false;
};

DrawOptions draw_options(const GraphOptions& options) {
  if (options.plain) return {};
  if (options.with_functions) return {.with_functions = true};
  return {.full_labels = true};
}

int draw_svg(const GraphOutline& outline, const DrawOptions& draw) {
  SvgResult result = render_svg(draw_dot(outline, draw));
  if (result.dot_missing) {
    std::cerr << "agdf: --format svg needs Graphviz's `dot`, which is not installed (not found "
                 "on PATH).\n  Install Graphviz (Debian/Ubuntu: apt-get install graphviz), or "
                 "print DOT with --format dot.\n";
    return to_int(ExitCode::kToolMissing);
  }
  if (!result.svg) {
    std::cerr << "agdf: cannot render svg: " << result.error << "\n";
    return to_int(ExitCode::kToolMissing);
  }
  std::cout << *result.svg;
  return 0;
}

int draw(const GraphOptions& options) {
  const auto text = read_graph_file(options.file);
  if (!text) return to_int(ExitCode::kInvalidGraph);
  const auto result = read_graph_outline(*text);
  if (!result.problems.empty()) {
    std::cerr << "agdf: cannot draw " << options.file << ":\n";
    for (const auto& problem : result.problems) std::cerr << "  " << problem << "\n";
    return to_int(ExitCode::kInvalidGraph);
  }
  const DrawOptions draw = draw_options(options);
  if (options.format == "svg") return draw_svg(result.outline, draw);
  std::cout << (options.format == "dot" ? draw_dot(result.outline, draw)
                                        : draw_mermaid(result.outline, draw));
  return 0;
}

}  // namespace

void add_graph_command(CLI::App& app, const GlobalOptions&, Action& action) {
  auto options = std::make_shared<GraphOptions>();
  auto* cmd = app.add_subcommand("graph", "draw a graph file as Mermaid, Graphviz DOT or SVG");
  cmd->add_option("file", options->file, "graph file (JSON)")->required();
  cmd->add_option("--format", options->format, "mermaid, dot, or svg (runs Graphviz's dot)")
      ->capture_default_str()
      ->check(CLI::IsMember({"mermaid", "dot", "svg"}));
  cmd->add_flag("--functions", options->with_functions,
                "one-line labels: name (function), instead of name, function and queue kind");
  cmd->add_flag("--plain", options->plain,
                "label nodes with their names only, as the reference library's docs do");
  cmd->callback([&action, options] { action = [options] { return draw(*options); }; });
}

}  // namespace agdf::client::cli
