#include "reporter.hpp"

#include <algorithm>

namespace agdf::engine::detail {

Reporter::Reporter(const std::vector<std::unique_ptr<NodeState>>& nodes, const RunOptions& options,
                   RunObserver& observers, const boost::asio::any_io_executor& executor)
    : nodes_(nodes),
      options_(options),
      observers_(observers),
      stats_timer_(executor),
      log_timer_(executor) {}

void Reporter::start(std::shared_ptr<void> keep_alive) {
  const auto& filter = options_.data_flow_log.nodes;
  for (const auto& node : nodes_)
    logged_.push_back(filter.empty() || std::ranges::count(filter, node->name()) > 0);
  last_reported_.resize(nodes_.size());
  keep_alive_ = std::move(keep_alive);
  schedule_stats();
  schedule_data_flow_log();
}

void Reporter::finish() {
  finished_ = true;
  stats_timer_.cancel();
  log_timer_.cancel();
  if (options_.data_flow_log.enabled) log_data_flow();
  if (options_.stats_interval.count() > 0) report_stats(/*force=*/true);
  keep_alive_.reset();
}

void Reporter::schedule_stats() {
  if (options_.stats_interval.count() <= 0 || finished_) return;
  stats_timer_.expires_after(options_.stats_interval);
  stats_timer_.async_wait([this, keep = keep_alive_](boost::system::error_code ec) {
    if (ec || finished_) return;
    report_stats(/*force=*/false);
    schedule_stats();
  });
}

void Reporter::report_stats(bool force) {
  bool changed = force;
  for (std::size_t i = 0; i < nodes_.size() && !changed; ++i)
    changed = nodes_[i]->stats != last_reported_[i];
  if (!changed) return;
  std::vector<NodeSnapshot> snapshot;
  snapshot.reserve(nodes_.size());
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const NodeState& n = *nodes_[i];
    snapshot.push_back({n.name(), n.stats, n.queued(), n.active_calls});
    last_reported_[i] = n.stats;
  }
  observers_.on_stats(snapshot);
}

void Reporter::schedule_data_flow_log() {
  if (!options_.data_flow_log.enabled || finished_) return;
  log_timer_.expires_after(options_.data_flow_log.interval);
  log_timer_.async_wait([this, keep = keep_alive_](boost::system::error_code ec) {
    if (ec || finished_) return;
    log_data_flow();
    schedule_data_flow_log();
  });
}

void Reporter::log_data_flow() {
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    if (!logged_[i]) continue;
    const NodeState& n = *nodes_[i];
    observers_.on_log(n.name(), format_data_flow_line(options_.data_flow_log.format, n.name(),
                                                      n.stats.in, n.stats.out, n.stats.err));
  }
}

}  // namespace agdf::engine::detail
