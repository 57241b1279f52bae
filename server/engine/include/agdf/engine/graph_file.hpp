#pragma once
/// Reads the graph file format users write (JSON mirroring the reference API).
/// Unknown keys and values of the wrong type are problems, never silently ignored.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "agdf/engine/graph_spec.hpp"
#include "agdf/engine/problem.hpp"

namespace agdf::engine {

/// The keys the parser accepts in each object of the format; any other key is a problem.
/// Tests derive hostile inputs from these lists, so a key added here is covered there too.
inline const std::vector<std::string> kGraphKeys{"nodes", "edges", "halt_on_exception",
                                                 "start_nodes", "max_exceptions"};
inline const std::vector<std::string> kNodeKeys{
    "name",         "function",          "config", "max_tasks", "queue_size",
    "unpack_input", "halt_on_exception", "queue",  "retry",     "timeout_ms"};
inline const std::vector<std::string> kRetryKeys{"attempts", "backoff_ms", "max_backoff_ms"};
inline const std::vector<std::string> kEdgeKeys{"from", "to", "when"};

struct ParsedGraph {
  /// What could be read, even when there are problems, so validation can report its
  /// own problems too; unset only when the document is not a JSON object at all.
  std::optional<GraphSpec> spec;
  Problems problems;
};

/// Parses a graph from its JSON document. A document nested deeper than kMaxJsonDepth is
/// one problem (nothing of it is copied).
ParsedGraph parse_graph(const Json& document);

/// Parses a graph from JSON text with the bounded reader (agdf/nodes/json_text.hpp): invalid
/// UTF-8, too deep nesting, a duplicate key or a syntax error is one problem saying where
/// (line, column) and why. `where` names the text in that problem, e.g. "graph_json".
ParsedGraph parse_graph_text(std::string_view text, const std::string& where = "");

/// Reads and parses a graph file.
ParsedGraph load_graph_file(const std::filesystem::path& path);

}  // namespace agdf::engine
