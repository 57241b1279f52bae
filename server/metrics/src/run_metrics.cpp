#include "agdf/metrics/run_metrics.hpp"

#include "agdf/service/convert.hpp"
#include "agdf/v1/run_state.hpp"

namespace agdf::metrics {

FunctionSeries FunctionSeriesCache::get(const std::string& function) {
  std::lock_guard lock(mutex_);
  if (auto it = series_.find(function); it != series_.end()) return it->second;
  FunctionSeries series{&metrics_.items_in.with({function}), &metrics_.items_out.with({function}),
                        &metrics_.errors.with({function}), &metrics_.queue_depth.with({function}),
                        &metrics_.active_calls.with({function})};
  series_.emplace(function, series);
  return series;
}

RunMetrics::RunMetrics(DaemonMetrics& metrics, FunctionSeriesCache& series,
                       const engine::Plan& plan)
    : metrics_(metrics) {
  nodes_.reserve(plan.nodes.size());
  for (const auto& node : plan.nodes)
    nodes_.push_back({node.spec.name, series.get(node.spec.function), {}, 0, 0});
}

void RunMetrics::on_started(std::span<const engine::StartCall>) {
  started_at_ = std::chrono::steady_clock::now();
  started_ = true;
}

RunMetrics::Node* RunMetrics::find(std::size_t index, std::string_view name) {
  // Snapshots list nodes in declaration order; look further only if that ever changes.
  if (index < nodes_.size() && nodes_[index].name == name) return &nodes_[index];
  for (auto& node : nodes_)
    if (node.name == name) return &node;
  return nullptr;
}

void RunMetrics::add_counts(Node& node, const engine::NodeStats& now) {
  // Counts never go down; a smaller number would be a bug upstream, not a negative delta.
  if (now.in > node.seen.in) node.series.in->inc(now.in - node.seen.in);
  if (now.out > node.seen.out) node.series.out->inc(now.out - node.seen.out);
  if (now.err > node.seen.err) node.series.err->inc(now.err - node.seen.err);
  node.seen.in = std::max(node.seen.in, now.in);
  node.seen.out = std::max(node.seen.out, now.out);
  node.seen.err = std::max(node.seen.err, now.err);
}

void RunMetrics::set_levels(Node& node, std::int64_t queued, std::int64_t active) {
  if (queued != node.queued) node.series.queued->add(queued - node.queued);
  if (active != node.active) node.series.active->add(active - node.active);
  node.queued = queued;
  node.active = active;
}

void RunMetrics::on_stats(std::span<const engine::NodeSnapshot> nodes) {
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    Node* node = find(i, nodes[i].name);
    if (!node) continue;
    add_counts(*node, nodes[i].stats);
    set_levels(*node, static_cast<std::int64_t>(nodes[i].queued),
               static_cast<std::int64_t>(nodes[i].active_calls));
  }
}

void RunMetrics::on_finished(const engine::RunResult& result) {
  for (std::size_t i = 0; i < result.nodes.size(); ++i)
    if (Node* node = find(i, result.nodes[i].name)) add_counts(*node, result.nodes[i].stats);
  for (auto& node : nodes_) set_levels(node, 0, 0);
  if (started_) {
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started_at_;
    metrics_.run_duration.with({v1::state_name(service::to_proto(result.status))})
        .observe(took.count());
  }
}

}  // namespace agdf::metrics
