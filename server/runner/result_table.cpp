#include "result_table.hpp"

#include <algorithm>
#include <iomanip>
#include "result_json.hpp"

namespace agdf::server {

void print_result_table(std::ostream& out, const engine::RunResult& result) {
  out << "status: " << status_name(result.status) << "\n";
  if (!result.failure.empty()) out << "failure: " << result.failure << "\n";
  out << "start nodes:";
  for (const auto& s : result.start_nodes) out << " " << s.node << Json(s.args).dump();
  out << "\n\n";

  std::size_t width = 4;
  for (const auto& n : result.nodes) width = std::max(width, n.name.size());
  out << std::left << std::setw(static_cast<int>(width)) << "node" << std::right << std::setw(12)
      << "in" << std::setw(12) << "out" << std::setw(8) << "err"
      << "\n";
  for (const auto& n : result.nodes) {
    out << std::left << std::setw(static_cast<int>(width)) << n.name << std::right << std::setw(12)
        << n.stats.in << std::setw(12) << n.stats.out << std::setw(8) << n.stats.err << "\n";
  }
  for (const auto& n : result.nodes) {
    if (n.errors.empty()) continue;
    out << "\nerrors in " << n.name << ":\n";
    for (const auto& e : n.errors) out << "  " << e.type << ": " << e.message << "\n";
  }
}

}  // namespace agdf::server
