#include "agdf/client/run_view.hpp"

#include <algorithm>
#include <cstdio>
#include <iomanip>
#include <sstream>

#include "agdf/client/event_json.hpp"

namespace agdf::client {
namespace {

std::string seconds_text(std::chrono::milliseconds elapsed) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1fs", static_cast<double>(elapsed.count()) / 1000.0);
  return buffer;
}

}  // namespace

void RunView::seed(const std::string& run_id, const std::vector<std::string>& nodes) {
  run_id_ = run_id;
  for (const auto& name : nodes) row(name);
}

v1::NodeStats& RunView::row(const std::string& node) {
  auto it = std::find_if(rows_.begin(), rows_.end(),
                         [&](const v1::NodeStats& r) { return r.node() == node; });
  if (it != rows_.end()) return *it;
  v1::NodeStats& added = rows_.emplace_back();
  added.set_node(node);
  return added;
}

void RunView::take_stats(const google::protobuf::RepeatedPtrField<v1::NodeStats>& nodes) {
  for (const auto& stats : nodes) row(stats.node()) = stats;
}

void RunView::apply(const v1::RunEvent& event) {
  if (run_id_.empty()) run_id_ = event.run_id();
  switch (event.kind_case()) {
    case v1::RunEvent::kStarted:
      for (const auto& s : event.started().start_nodes()) row(s.node());
      break;
    case v1::RunEvent::kStats:
      take_stats(event.stats().nodes());
      break;
    case v1::RunEvent::kFinished:
      finished_ = event.finished();
      take_stats(event.finished().stats());
      break;
    case v1::RunEvent::kMissed:
      missed_ += event.missed().to_seq() - event.missed().from_seq() + 1;
      break;
    default:
      break;
  }
}

std::string RunView::node_state(const v1::NodeStats& stats) const {
  if (finished_) return "done";
  if (stats.active() > 0) return "running";
  if (stats.queued() > 0) return "queued";
  return "idle";
}

std::string RunView::render_table(std::chrono::milliseconds elapsed) const {
  std::size_t width = 4;
  for (const auto& r : rows_) width = std::max(width, r.node().size());
  std::ostringstream out;
  out << "run " << run_id_ << "  " << (finished_ ? state_name(finished_->state()) : "running")
      << "  " << seconds_text(elapsed);
  if (missed_ > 0) out << "  (" << missed_ << " events missed)";
  const int w = static_cast<int>(width);
  out << "\n"
      << std::left << std::setw(w) << "node"
      << "  " << std::setw(8) << "state" << std::right << std::setw(10) << "in" << std::setw(10)
      << "out" << std::setw(8) << "err" << std::setw(9) << "queued"
      << "\n";
  for (const auto& s : rows_)
    out << std::left << std::setw(w) << s.node() << "  " << std::setw(8) << node_state(s)
        << std::right << std::setw(10) << s.in() << std::setw(10) << s.out() << std::setw(8)
        << s.err() << std::setw(9) << s.queued() << "\n";
  return out.str();
}

std::string RunView::render_summary(std::size_t max_errors_per_node) const {
  if (!finished_) return "run " + run_id_ + " did not finish\n";
  std::uint64_t in = 0, out = 0, err = 0;
  for (const auto& r : rows_) in += r.in(), out += r.out(), err += r.err();
  std::string text = "run " + run_id_ + " " + std::string(state_name(finished_->state())) + ": " +
                     std::to_string(rows_.size()) + " nodes, in=" + std::to_string(in) +
                     ", out=" + std::to_string(out) + ", err=" + std::to_string(err) + "\n";
  if (!finished_->failure().empty()) text += "failure: " + finished_->failure() + "\n";
  for (const auto& node : finished_->exceptions()) {
    if (node.errors_size() == 0) continue;
    text += "errors in " + node.node() + ":\n";
    const auto shown = std::min<std::size_t>(node.errors_size(), max_errors_per_node);
    for (std::size_t i = 0; i < shown; ++i) {
      const auto& e = node.errors(static_cast<int>(i));
      text += "  " + e.type() + ": " + e.message() + "\n";
    }
    if (shown < static_cast<std::size_t>(node.errors_size()))
      text += "  ... and " + std::to_string(node.errors_size() - shown) + " more\n";
  }
  return text;
}

}  // namespace agdf::client
