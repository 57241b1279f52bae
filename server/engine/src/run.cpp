#include "run.hpp"

#include <algorithm>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

namespace asio = boost::asio;

namespace agdf::engine::detail {

Run::Run(asio::any_io_executor work, asio::any_io_executor blocking,
         std::shared_ptr<const Plan> plan, RunOptions options,
         std::shared_ptr<RunObserver> observer)
    : strand_(asio::make_strand(work)),
      executor_(strand_),
      blocking_(std::move(blocking)),
      plan_(std::move(plan)),
      options_(std::move(options)),
      observer_(observer ? std::move(observer) : std::make_shared<RunObserver>()),
      stats_timer_(executor_),
      log_timer_(executor_) {
  nodes_.reserve(plan_->nodes.size());
  const auto& filter = options_.data_flow_log.nodes;
  for (const PlannedNode& planned : plan_->nodes) {
    auto node = std::make_unique<NodeState>(*this, planned, executor_);
    node->capture = std::ranges::count(options_.capture, planned.spec.name) > 0;
    logged_.push_back(filter.empty() || std::ranges::count(filter, planned.spec.name) > 0);
    nodes_.push_back(std::move(node));
  }
  last_reported_.resize(nodes_.size());
}

void Run::start() {
  asio::dispatch(strand_, [self = shared_from_this()] { self->begin(); });
}

void Run::cancel() {
  asio::post(strand_, [self = shared_from_this()] {
    if (!self->finished_) self->stop(RunStatus::cancelled);
  });
}

void Run::begin() {
  std::vector<StartCall> starts;
  for (const auto& s : plan_->starts) starts.push_back({plan_->nodes[s.node].spec.name, s.args});
  observer_->on_started(starts);

  task_count_ = plan_->starts.size();
  for (const auto& node : nodes_)
    task_count_ += static_cast<std::size_t>(node->plan.spec.max_tasks);
  live_tasks_ = task_count_;
  signals_ = std::make_unique<asio::cancellation_signal[]>(task_count_);

  // Count every start call and preloaded item before any task runs.
  for (const auto& s : plan_->starts) work_added(*nodes_[s.node], 1);
  for (auto& node : nodes_)
    for (const Json& item : node->plan.queue.preload) node->push(kNoSource, item);

  std::size_t slot = 0;
  for (auto& node : nodes_)
    for (std::int64_t t = 0; t < node->plan.spec.max_tasks; ++t) spawn(consume(*node), slot++);
  for (const auto& s : plan_->starts) spawn(call_start(*nodes_[s.node], s.args), slot++);

  // Nodes that will never receive anything (no sources, nothing to do) finish now,
  // which may let queue kinds downstream flush.
  for (auto& node : nodes_) node_idle(*node);
  if (pending_ == 0) close_queues();

  schedule_stats();
  schedule_data_flow_log();
}

void Run::spawn(asio::awaitable<void> task, std::size_t slot) {
  asio::co_spawn(executor_, std::move(task),
                 asio::bind_cancellation_slot(
                     signals_[slot].slot(),
                     [self = shared_from_this()](std::exception_ptr e) { self->task_ended(e); }));
}

// ---- work accounting -----------------------------------------------------------

void Run::work_added(NodeState& node, std::uint64_t count) {
  node.work += count;
  pending_ += count;
}

void Run::work_done(NodeState& node, std::uint64_t count) {
  node.work -= count;
  pending_ -= count;
  if (node.work == 0) node_idle(node);
  // Every item ever queued is fully processed: nothing can arrive any more.
  if (pending_ == 0 && !stopping_) close_queues();
}

void Run::node_idle(NodeState& node) {
  if (node.finished || node.work != 0 || !node.sources_done) return;
  node.finished = true;
  for (const PlannedEdge& edge : node.plan.out) {
    NodeState& next = *nodes_[edge.to];
    if (next.sources_done) continue;
    const auto& sources = next.plan.sources;
    if (!std::all_of(sources.begin(), sources.end(),
                     [&](std::size_t s) { return nodes_[s]->finished; }))
      continue;
    next.sources_done = true;
    if (next.shape) next.shape->sources_finished(next);
    node_idle(next);
  }
}

void Run::record_error(NodeState& node, ErrorRecord error) {
  ++node.stats.err;
  observer_->on_node_error(node.plan.spec.name, error);
  node.errors.push_back(std::move(error));
  if (node.errors.size() > plan_->max_exceptions) node.errors.pop_front();
  if (plan_->halt_on_exception || node.plan.spec.halt_on_exception) stop(RunStatus::halted);
}

// ---- stopping and finishing ----------------------------------------------------

void Run::close_queues() {
  for (auto& node : nodes_) node->queue.close();
}

void Run::stop(RunStatus why) {
  if (stopping_) return;
  stopping_ = true;
  status_ = why;
  close_queues();
  for (std::size_t i = 0; i < task_count_; ++i) signals_[i].emit(asio::cancellation_type::terminal);
}

void Run::task_ended(std::exception_ptr error) {
  if (error && !stopping_) {
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      failure_ = e.what();
    } catch (...) {
      failure_ = "a task ended with an unknown exception";
    }
    stop(RunStatus::failed);
  }
  if (--live_tasks_ == 0) finish();
}

void Run::finish() {
  finished_ = true;
  if (status_ == RunStatus::running) status_ = RunStatus::completed;
  stats_timer_.cancel();
  log_timer_.cancel();
  for (auto& node : nodes_) node->cancel_timer();
  if (options_.data_flow_log.enabled) log_data_flow();
  if (options_.stats_interval.count() > 0) report_stats(/*force=*/true);
  observer_->on_finished(result());
}

}  // namespace agdf::engine::detail
