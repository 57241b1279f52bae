#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "agdf/client/graph_drawing.hpp"
#include "agdf/client/graph_text.hpp"

namespace agdf::client {
namespace {

using nlohmann::json;

void read_nodes(const json& nodes, OutlineResult& out, std::set<std::string>& names) {
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const json& node = nodes[i];
    const std::string where = "nodes[" + std::to_string(i) + "]";
    auto name = node.is_object() ? node.find("name") : node.end();
    if (!node.is_object() || name == node.end() || !name->is_string()) {
      out.problems.push_back(where + ": a node must be an object with a string 'name'");
      continue;
    }
    std::string function;
    if (auto f = node.find("function"); f != node.end() && f->is_string()) function = *f;
    if (!names.insert(name->get<std::string>()).second) {
      out.problems.push_back(where + ": duplicate node name '" + name->get<std::string>() + "'");
      continue;
    }
    std::string queue = "fifo";
    if (auto q = node.find("queue"); q != node.end()) queue = queue_text(*q);
    out.outline.nodes.push_back({*name, std::move(function), std::move(queue)});
  }
}

/// An edge is a [source, destination] pair, or {"from", "to", "when"}.
std::optional<GraphOutline::Edge> read_edge(const json& edge) {
  if (edge.is_array() && edge.size() == 2 && edge[0].is_string() && edge[1].is_string())
    return GraphOutline::Edge{edge[0], edge[1], {}};
  if (!edge.is_object()) return std::nullopt;
  auto from = edge.find("from");
  auto to = edge.find("to");
  if (from == edge.end() || to == edge.end() || !from->is_string() || !to->is_string())
    return std::nullopt;
  std::string condition;
  if (auto when = edge.find("when"); when != edge.end() && !when->is_null())
    condition = condition_text(*when);
  return GraphOutline::Edge{*from, *to, std::move(condition)};
}

void read_edges(const json& edges, OutlineResult& out, const std::set<std::string>& names) {
  for (std::size_t i = 0; i < edges.size(); ++i) {
    const std::string where = "edges[" + std::to_string(i) + "]";
    auto edge = read_edge(edges[i]);
    if (!edge) {
      out.problems.push_back(where +
                             ": an edge must be a [source, destination] pair of node names, or "
                             "{\"from\", \"to\", \"when\"}");
      continue;
    }
    bool known = true;
    for (const std::string* end : {&edge->from, &edge->to}) {
      if (names.contains(*end)) continue;
      out.problems.push_back(where + ": unknown node '" + *end + "'");
      known = false;
    }
    if (known) out.outline.edges.push_back(std::move(*edge));
  }
}

}  // namespace

OutlineResult read_graph_outline(std::string_view graph_json) {
  OutlineResult out;
  const json document = json::parse(graph_json, nullptr, false);
  if (document.is_discarded()) {
    out.problems.push_back("the graph is not valid JSON");
    return out;
  }
  auto nodes = document.is_object() ? document.find("nodes") : document.end();
  if (!document.is_object() || nodes == document.end() || !nodes->is_array()) {
    out.problems.push_back("a graph must be a JSON object with a 'nodes' array");
    return out;
  }
  std::set<std::string> names;
  read_nodes(*nodes, out, names);
  if (auto edges = document.find("edges"); edges != document.end()) {
    if (edges->is_array())
      read_edges(*edges, out, names);
    else
      out.problems.push_back("edges must be an array");
  }
  return out;
}

}  // namespace agdf::client
