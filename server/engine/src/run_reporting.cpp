#include "run.hpp"

namespace agdf::engine::detail {

void Run::schedule_stats() {
  if (options_.stats_interval.count() <= 0 || finished_) return;
  stats_timer_.expires_after(options_.stats_interval);
  stats_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->finished_) return;
    self->report_stats(/*force=*/false);
    self->schedule_stats();
  });
}

void Run::report_stats(bool force) {
  bool changed = force;
  for (std::size_t i = 0; i < nodes_.size() && !changed; ++i)
    changed = nodes_[i]->stats != last_reported_[i];
  if (!changed) return;
  std::vector<NodeSnapshot> snapshot;
  snapshot.reserve(nodes_.size());
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const NodeState& n = *nodes_[i];
    snapshot.push_back({n.plan.spec.name, n.stats, n.queue.size(), n.active_calls});
    last_reported_[i] = n.stats;
  }
  observer_->on_stats(snapshot);
}

void Run::schedule_data_flow_log() {
  if (!options_.data_flow_log.enabled || finished_) return;
  log_timer_.expires_after(options_.data_flow_log.interval);
  log_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->finished_) return;
    self->log_data_flow();
    self->schedule_data_flow_log();
  });
}

void Run::log_data_flow() {
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    if (!logged_[i]) continue;
    const NodeState& n = *nodes_[i];
    observer_->on_log(n.plan.spec.name,
                      format_data_flow_line(options_.data_flow_log.format, n.plan.spec.name,
                                            n.stats.in, n.stats.out, n.stats.err));
  }
}

RunResult Run::result() const {
  RunResult r;
  r.status = status_;
  r.failure = failure_;
  for (const auto& s : plan_->starts)
    r.start_nodes.push_back({plan_->nodes[s.node].spec.name, s.args});
  for (const auto& node : nodes_)
    r.nodes.push_back({node->plan.spec.name,
                       node->stats,
                       {node->errors.begin(), node->errors.end()},
                       node->dropped});
  return r;
}

}  // namespace agdf::engine::detail
