#include "run_info_text.hpp"

#include <algorithm>
#include <iomanip>
#include <map>

#include "agdf/client/event_json.hpp"
#include "output.hpp"

namespace agdf::client::cli {
namespace {

void print_stats(std::ostream& out, const v1::RunInfo& run) {
  std::size_t width = 4;
  for (const auto& n : run.stats()) width = std::max(width, n.node().size());
  const int w = static_cast<int>(width);
  out << std::left << std::setw(w) << "node" << std::right << std::setw(10) << "in" << std::setw(10)
      << "out" << std::setw(8) << "err" << std::setw(9) << "queued"
      << "\n";
  for (const auto& n : run.stats())
    out << std::left << std::setw(w) << n.node() << std::right << std::setw(10) << n.in()
        << std::setw(10) << n.out() << std::setw(8) << n.err() << std::setw(9) << n.queued()
        << "\n";
}

}  // namespace

std::string labels_text(const google::protobuf::Map<std::string, std::string>& labels) {
  if (labels.empty()) return "-";
  std::map<std::string, std::string> sorted(labels.begin(), labels.end());
  std::string text;
  for (const auto& [k, v] : sorted) text += (text.empty() ? "" : ", ") + k + "=" + v;
  return text;
}

void print_run_info(std::ostream& out, const v1::RunInfo& run) {
  out << "run        " << run.run_id() << "\n"
      << "state      " << state_name(run.state()) << "\n"
      << "labels     " << labels_text(run.labels()) << "\n"
      << "submitted  " << iso_time(run.submitted_unix_ms()) << "\n"
      << "by         " << (run.submitted_by().empty() ? "-" : run.submitted_by()) << "\n"
      << "started    " << iso_time(run.started_unix_ms()) << "\n"
      << "finished   " << iso_time(run.finished_unix_ms()) << "\n";
  out << "start      ";
  if (run.start_nodes().empty()) out << "-";
  for (int i = 0; i < run.start_nodes_size(); ++i) {
    const auto& s = run.start_nodes(i);
    out << (i > 0 ? " " : "") << s.node() << (s.args_json().empty() ? "[]" : s.args_json());
  }
  out << "\nlast seq   " << run.last_seq() << "\n";
  if (!run.failure().empty()) out << "failure    " << run.failure() << "\n";
  if (run.events_not_stored() != 0)
    out << "not stored " << run.events_not_stored() << " events (see EventsMissed)\n";
  if (!run.stats().empty()) {
    out << "\n";
    print_stats(out, run);
  }
  for (const auto& node : run.exceptions()) {
    if (node.errors().empty()) continue;
    out << "\nerrors in " << node.node() << ":\n";
    for (const auto& e : node.errors()) out << "  " << e.type() << ": " << e.message() << "\n";
  }
}

}  // namespace agdf::client::cli
