#include "agdf/client/graph_drawing.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace agdf::client {
namespace {

/// A, B, ..., Z, AA, AB, ...: the short ids the reference docs use.
std::string mermaid_id(std::size_t index) {
  std::string id;
  for (++index; index > 0; index = (index - 1) / 26)
    id.insert(id.begin(), static_cast<char>('A' + (index - 1) % 26));
  return id;
}

/// The second line of a full label.
std::string details(const GraphOutline::Node& node) {
  return (node.function.empty() ? std::string("?") : node.function) + " \u00b7 " + node.queue;
}

std::string label_text(const GraphOutline::Node& node, const DrawOptions& options) {
  if (options.full_labels) return node.name + "\n" + details(node);
  if (!options.with_functions || node.function.empty() || node.function == node.name)
    return node.name;
  return node.name + " (" + node.function + ")";
}

bool is_plain_label(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-' || c == '.';
  });
}

/// Mermaid text in double quotes, with `"`, `<` and `>` written as entities and a line feed as
/// <br/>.
std::string mermaid_quoted(const std::string& text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"')
      quoted += "#quot;";
    else if (c == '<')
      quoted += "#lt;";
    else if (c == '>')
      quoted += "#gt;";
    else if (c == '\n')
      quoted += "<br/>";
    else
      quoted += c;
  }
  return quoted + "\"";
}

/// `[name]` as the docs write it, or a quoted label.
std::string mermaid_label(const std::string& text) {
  std::string label = "[";
  label += is_plain_label(text) ? text : mermaid_quoted(text);
  return label + "]";
}

std::string dot_string(const std::string& text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '\n') {
      quoted += "\\n";
      continue;
    }
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

std::string draw_mermaid(const GraphOutline& graph, const DrawOptions& options) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) index.emplace(graph.nodes[i].name, i);
  std::vector<bool> drawn(graph.nodes.size(), false);
  auto mention = [&](const std::string& name) {
    const std::size_t i = index.at(name);
    std::string text = mermaid_id(i);
    if (!drawn[i]) text += mermaid_label(label_text(graph.nodes[i], options));
    drawn[i] = true;
    return text;
  };

  std::string out = "flowchart LR\n";
  for (const auto& edge : graph.edges) {
    out += "    ";
    out += mention(edge.from);
    out += " -->";
    if (!edge.condition.empty()) out.append("|").append(mermaid_quoted(edge.condition)).append("|");
    out += " ";
    out += mention(edge.to);
    out += "\n";
  }
  for (const auto& node : graph.nodes)
    if (!drawn[index.at(node.name)]) out.append("    ").append(mention(node.name)).append("\n");
  return out;
}

std::string draw_dot(const GraphOutline& graph, const DrawOptions& options) {
  std::string out = "digraph agdf {\n    rankdir=LR;\n    node [shape=box];\n";
  for (const auto& node : graph.nodes) {
    out += "    " + dot_string(node.name);
    const std::string label = label_text(node, options);
    if (label != node.name) out += " [label=" + dot_string(label) + "]";
    out += ";\n";
  }
  for (const auto& edge : graph.edges) {
    out += "    " + dot_string(edge.from) + " -> " + dot_string(edge.to);
    if (!edge.condition.empty()) out += " [label=" + dot_string(edge.condition) + "]";
    out += ";\n";
  }
  return out + "}\n";
}

}  // namespace agdf::client
