#pragma once
/// One thing wrong with a graph, naming where it is, so all of them can be listed at once.

#include <string>
#include <vector>

namespace agdf::engine {

struct Problem {
  std::string where;    ///< e.g. "node 'load'", "edges[2]", "start_nodes"
  std::string message;  ///< e.g. "unknown function 'lod'"

  std::string to_string() const { return where.empty() ? message : where + ": " + message; }
};

using Problems = std::vector<Problem>;

/// "invalid graph (N problems):" then one "  - where: message" line per problem: how the
/// daemon and the one-shot runner both report an invalid graph.
std::string describe_problems(const Problems& problems);

}  // namespace agdf::engine
