#include "run.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include "calls.hpp"
#include "task_context.hpp"

namespace asio = boost::asio;

namespace agdf::engine::detail {

Run::Run(asio::any_io_executor work, asio::any_io_executor blocking, ValidatedRun run,
         std::vector<std::shared_ptr<RunObserver>> observers)
    : strand_(asio::make_strand(work)),
      executor_(strand_),
      blocking_(std::move(blocking)),
      plan_(std::move(run.plan)),
      options_(std::move(run.options)),
      scheduler_(
          [this] {
            asio::post(strand_, [self = shared_from_this()] { self->scheduler_.drain(); });
          },
          options_.time_slice),
      work_(*plan_, *this),
      router_(nodes_, scheduler_),
      reporter_(nodes_, options_, observers_, executor_),
      environment_{router_,   scheduler_, work_,     *this,           observers_, options_,
                   stopping_, executor_,  blocking_, plan_->data_dir, resources_} {
  for (auto& observer : observers)
    if (observer) observers_.add(std::move(observer));
  nodes_.reserve(plan_->nodes.size());
  for (std::size_t i = 0; i < plan_->nodes.size(); ++i) {
    const PlannedNode& planned = plan_->nodes[i];
    auto node = std::make_unique<NodeState>(i, planned, work_, scheduler_,
                                            static_cast<NodeHost&>(*this), executor_);
    node->capture = std::ranges::count(options_.capture, planned.spec.name) > 0;
    nodes_.push_back(std::move(node));
  }
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
  // Held while beginning: a task may run and end inside spawn(), and the run must not
  // finish before every start call was spawned.
  ++live_tasks_;
  std::vector<StartCall> starts;
  for (const auto& s : plan_->starts) starts.push_back({plan_->nodes[s.node].spec.name, s.args});
  observers_.on_started(starts);

  // Count every start call and preloaded item before any task runs, so no early finish
  // looks like the end of the run.
  for (const auto& s : plan_->starts) work_.add(s.node);
  for (auto& node : nodes_)
    for (const Json& item : node->plan().queue.preload) node->preload(item);
  for (const auto& s : plan_->starts) spawn(call_start(environment_, *nodes_[s.node], s.args));

  // Nodes that will never receive anything finish now, which may let queue kinds
  // downstream flush.
  work_.settle();
  if (work_.pending() == 0) all_done();
  reporter_.start(shared_from_this());
  task_ended(nullptr);
}

void Run::spawn(asio::awaitable<void> task) {
  ++live_tasks_;
  asio::co_spawn(executor_, std::move(task),
                 asio::bind_cancellation_slot(
                     signals_.emplace_back().slot(),
                     [self = shared_from_this()](std::exception_ptr e) { self->task_ended(e); }));
}

void Run::start_consumer(std::size_t node) {
  // Counted now, started from a handler of its own: never inside the push that asked.
  ++live_tasks_;
  asio::post(strand_, [self = shared_from_this(), node] {
    --self->live_tasks_;
    if (self->stopping_ || self->nodes_[node]->closed()) {
      if (self->live_tasks_ == 0 && !self->finished_) self->finish();
      return;
    }
    self->spawn(consume(self->environment_, *self->nodes_[node]));
  });
}

void Run::continue_emission(Emission& emission) {
  router_.send(static_cast<TaskContext&>(*emission.context).node(), emission);
}

void Run::log(std::size_t node, const std::string& line) {
  observers_.on_log(nodes_[node]->name(), line);
}

void Run::node_error(NodeState& node, ErrorRecord error) {
  observers_.on_node_error(node.name(), error);
  node.record_error(std::move(error), plan_->max_exceptions);
  if (plan_->halt_on_exception || node.plan().spec.halt_on_exception) stop(RunStatus::halted);
}

// ---- stopping and finishing ----------------------------------------------------

void Run::all_done() {
  // Every item ever queued is fully processed: nothing can arrive any more.
  if (stopping_) return;
  for (auto& node : nodes_) node->close(nullptr);
}

void Run::stop(RunStatus why) {
  if (stopping_) return;
  stopping_ = true;
  status_ = why;
  const auto stopping = std::make_exception_ptr(RunStopping{});
  for (auto& node : nodes_) node->close(stopping);
  // Calls waiting on something else (a timer, I/O) are cancelled where they wait. From a
  // handler of its own: the task that is stopping the run is still running, and Asio's
  // co_spawn throws out of the thread if a task that never suspended ends cancelled.
  asio::post(strand_, [self = shared_from_this()] {
    for (auto& signal : self->signals_) signal.emit(asio::cancellation_type::terminal);
  });
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
  if (--live_tasks_ == 0 && !finished_) finish();
}

void Run::finish() {
  finished_ = true;
  if (status_ == RunStatus::running) status_ = RunStatus::completed;
  for (auto& node : nodes_) node->cancel_timer();
  reporter_.finish();
  observers_.on_finished(result());
}

RunResult Run::result() const {
  RunResult r;
  r.status = status_;
  r.failure = failure_;
  for (const auto& s : plan_->starts)
    r.start_nodes.push_back({plan_->nodes[s.node].spec.name, s.args});
  for (const auto& node : nodes_)
    r.nodes.push_back({node->name(),
                       node->stats,
                       {node->errors().begin(), node->errors().end()},
                       node->dropped()});
  return r;
}

}  // namespace agdf::engine::detail
