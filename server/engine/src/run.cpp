#include "run.hpp"

#include <cxxabi.h>

#include <algorithm>
#include <typeinfo>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/system/system_error.hpp>

#include "agdf/nodes/node_error.hpp"
#include "unpack.hpp"

namespace asio = boost::asio;

namespace agdf::engine::detail {
namespace {

std::string type_name(const std::exception& e) {
  int status = 0;
  const char* mangled = typeid(e).name();
  std::unique_ptr<char, void (*)(void*)> demangled(
      abi::__cxa_demangle(mangled, nullptr, nullptr, &status), std::free);
  return status == 0 && demangled ? demangled.get() : mangled;
}

}  // namespace

// ---- TaskContext ---------------------------------------------------------------

asio::awaitable<void> TaskContext::emit(Item item) { return run_.forward(node_, std::move(item)); }

void TaskContext::log(std::string line) { run_.observer_->on_log(node_.plan.spec.name, line); }

asio::any_io_executor TaskContext::executor() const { return run_.executor_; }

asio::any_io_executor TaskContext::blocking_executor() const { return run_.blocking_; }

const std::filesystem::path& TaskContext::data_dir() const noexcept {
  return run_.options_.data_dir;
}

std::shared_ptr<void>& TaskContext::run_resource_slot(const std::string& key) {
  return run_.resources_[key];
}

// ---- Run: set-up ---------------------------------------------------------------

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
  for (const PlannedNode& node : plan_->nodes) nodes_.push_back(std::make_unique<NodeState>(node, executor_));
  for (auto& node : nodes_) {
    for (std::size_t d : node->plan.destinations) node->destinations.push_back(nodes_[d].get());
    node->capture = std::ranges::count(options_.capture, node->plan.spec.name) > 0;
  }
  const auto& filter = options_.data_flow_log.nodes;
  for (auto& node : nodes_)
    logged_.push_back(filter.empty() || std::ranges::count(filter, node->plan.spec.name) > 0);
  last_reported_.resize(nodes_.size());
}

void Run::start() { asio::dispatch(strand_, [self = shared_from_this()] { self->begin(); }); }

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
  for (const auto& node : nodes_) task_count_ += static_cast<std::size_t>(node->plan.spec.max_tasks);
  live_tasks_ = task_count_;
  pending_ = plan_->starts.size();
  signals_ = std::make_unique<asio::cancellation_signal[]>(task_count_);

  std::size_t slot = 0;
  for (auto& node : nodes_)
    for (std::int64_t t = 0; t < node->plan.spec.max_tasks; ++t) spawn(consume(*node), slot++);
  for (const auto& s : plan_->starts) spawn(call_start(*nodes_[s.node], s.args), slot++);

  schedule_stats();
  schedule_data_flow_log();
}

void Run::spawn(asio::awaitable<void> task, std::size_t slot) {
  asio::co_spawn(executor_, std::move(task),
                 asio::bind_cancellation_slot(
                     signals_[slot].slot(),
                     [self = shared_from_this()](std::exception_ptr e) { self->task_ended(e); }));
}

// ---- Run: the tasks ------------------------------------------------------------

asio::awaitable<void> Run::consume(NodeState& node) {
  TaskContext ctx(*this, node);
  std::vector<Json> args;
  const PlannedNode& plan = node.plan;
  for (;;) {
    if (node.queue.empty()) {
      if (node.queue.closed()) co_return;
      co_await node.queue.wait_for_item();
      continue;
    }
    if (auto error = bind_item(node.queue.pop(), plan.function.params, plan.spec.unpack_input,
                               plan.spec.function, args))
      record_error(node, {kArgumentErrorType, std::move(*error)});
    else
      co_await invoke(ctx, node, args);
    item_done();
  }
}

asio::awaitable<void> Run::call_start(NodeState& node, Json::array_t start_args) {
  TaskContext ctx(*this, node);
  std::vector<Json> args;
  if (auto error = bind_positional(std::move(start_args), node.plan.function.params,
                                   node.plan.spec.function, args))
    record_error(node, {kArgumentErrorType, std::move(*error)});
  else
    co_await invoke(ctx, node, args);
  item_done();
}

asio::awaitable<void> Run::invoke(TaskContext& ctx, NodeState& node, Args args) {
  ++node.active_calls;
  std::optional<ErrorRecord> error;
  try {
    co_await node.plan.function.body(ctx, args);
  } catch (const RunStopping&) {
  } catch (const NodeError& e) {
    error = ErrorRecord{e.type(), e.what()};
  } catch (const std::exception& e) {
    error = ErrorRecord{type_name(e), e.what()};
  } catch (...) {
    error = ErrorRecord{"unknown", "a non-standard exception was thrown"};
  }
  --node.active_calls;
  // Once the run is stopping, errors are the echo of the stop itself, not news.
  if (error && !stopping_) record_error(node, std::move(*error));
}

asio::awaitable<void> Run::forward(NodeState& from, Item item) {
  if (stopping_) throw RunStopping{};
  ++from.stats.out;
  if (from.capture) observer_->on_output(from.plan.spec.name, item);
  const std::size_t count = from.destinations.size();
  for (std::size_t i = 0; i < count; ++i) {
    NodeState& to = *from.destinations[i];
    while (to.queue.full()) {
      co_await to.queue.wait_for_space();
      if (stopping_) throw RunStopping{};
    }
    ++to.stats.in;
    ++pending_;
    if (i + 1 == count) to.queue.push(std::move(item));
    else to.queue.push(item);
  }
}

// ---- Run: errors, completion, stopping -----------------------------------------

void Run::record_error(NodeState& node, ErrorRecord error) {
  ++node.stats.err;
  observer_->on_node_error(node.plan.spec.name, error);
  node.errors.push_back(std::move(error));
  if (node.errors.size() > plan_->max_exceptions) node.errors.pop_front();
  if (plan_->halt_on_exception || node.plan.spec.halt_on_exception) stop(RunStatus::halted);
}

void Run::item_done() {
  // Every item ever queued is fully processed: nothing can arrive any more.
  if (--pending_ == 0 && !stopping_) close_queues();
}

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
  if (options_.data_flow_log.enabled) log_data_flow();
  if (options_.stats_interval.count() > 0) report_stats(/*force=*/true);
  observer_->on_finished(result());
}

// ---- Run: reporting ------------------------------------------------------------

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
  for (const auto& s : plan_->starts) r.start_nodes.push_back({plan_->nodes[s.node].spec.name, s.args});
  for (const auto& node : nodes_)
    r.nodes.push_back({node->plan.spec.name, node->stats, {node->errors.begin(), node->errors.end()}});
  return r;
}

}  // namespace agdf::engine::detail
