#pragma once
/// Reads the graph file format users write (JSON mirroring the reference API).
/// Unknown keys and values of the wrong type are problems, never silently ignored.

#include <filesystem>
#include <optional>

#include "agdf/engine/graph_spec.hpp"
#include "agdf/engine/problem.hpp"

namespace agdf::engine {

struct ParsedGraph {
  /// What could be read, even when there are problems, so validation can report its
  /// own problems too; unset only when the document is not a JSON object at all.
  std::optional<GraphSpec> spec;
  Problems problems;
};

/// Parses a graph from its JSON document.
ParsedGraph parse_graph(const Json& document);

/// Parses a graph from JSON text; a syntax error is reported as a problem.
ParsedGraph parse_graph_text(std::string_view text);

/// Reads and parses a graph file.
ParsedGraph load_graph_file(const std::filesystem::path& path);

}  // namespace agdf::engine
