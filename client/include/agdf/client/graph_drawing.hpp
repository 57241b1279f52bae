#pragma once
/// Draws a graph file for a human, without a daemon: Mermaid the way the reference
/// library's docs draw graphs (`flowchart LR`, `A[name] --> B[name]`), or Graphviz DOT.
/// Conditions read as `state == "California"` (graph_text.hpp).

#include <string>
#include <string_view>
#include <vector>

namespace agdf::client {

/// Just what a drawing needs from a graph file.
struct GraphOutline {
  struct Node {
    std::string name;
    std::string function;
    std::string queue = "fifo";  ///< the queue kind as text (queue_text)
  };
  struct Edge {
    std::string from;
    std::string to;
    std::string condition;  ///< the edge's "when" as text (condition_text); empty: every item
  };
  std::vector<Node> nodes;
  std::vector<Edge> edges;
};

/// The outline of a graph file's text, or every reason it cannot be drawn
/// (not JSON, no `nodes` array, unnamed or duplicate nodes, edges naming unknown nodes).
struct OutlineResult {
  GraphOutline outline;
  std::vector<std::string> problems;
};

OutlineResult read_graph_outline(std::string_view graph_json);

struct DrawOptions {
  bool with_functions = false;  ///< label nodes "name (function)" when the two differ
  /// Label nodes with their name, then `function · queue kind` on a second line
  /// (takes precedence over with_functions).
  bool full_labels = false;
};

/// `flowchart LR`, one line per edge in file order; a node is labelled where it first
/// appears, nodes without edges get a line of their own; a conditional edge carries
/// its condition as the edge label.
std::string draw_mermaid(const GraphOutline& graph, const DrawOptions& options = {});

/// A `digraph` laid out left to right.
std::string draw_dot(const GraphOutline& graph, const DrawOptions& options = {});

}  // namespace agdf::client
