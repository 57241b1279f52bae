// agdf graph FILE --format mermaid|dot: draw a graph file locally (no daemon).
#include <iostream>
#include <memory>

#include "agdf/client/exit_codes.hpp"
#include "agdf/client/graph_drawing.hpp"
#include "command.hpp"
#include "output.hpp"

namespace agdf::client::cli {
namespace {

struct GraphOptions {
  std::string file;
  std::string format = "mermaid";
  bool with_functions = false;
};

int draw(const GraphOptions& options) {
  const auto text = read_graph_file(options.file);
  if (!text) return to_int(ExitCode::kInvalidGraph);
  const auto result = read_graph_outline(*text);
  if (!result.problems.empty()) {
    std::cerr << "agdf: cannot draw " << options.file << ":\n";
    for (const auto& problem : result.problems) std::cerr << "  " << problem << "\n";
    return to_int(ExitCode::kInvalidGraph);
  }
  const DrawOptions draw_options{.with_functions = options.with_functions};
  std::cout << (options.format == "dot" ? draw_dot(result.outline, draw_options)
                                        : draw_mermaid(result.outline, draw_options));
  return 0;
}

}  // namespace

void add_graph_command(CLI::App& app, const GlobalOptions&, Action& action) {
  auto options = std::make_shared<GraphOptions>();
  auto* cmd = app.add_subcommand("graph", "draw a graph file as Mermaid or Graphviz DOT");
  cmd->add_option("file", options->file, "graph file (JSON)")->required();
  cmd->add_option("--format", options->format, "mermaid or dot")
      ->capture_default_str()
      ->check(CLI::IsMember({"mermaid", "dot"}));
  cmd->add_flag("--functions", options->with_functions,
                "label each node with its function too: name (function)");
  cmd->callback([&action, options] { action = [options] { return draw(*options); }; });
}

}  // namespace agdf::client::cli
