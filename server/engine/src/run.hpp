#pragma once
// One running graph: its nodes, tasks, counters and error records. Everything here
// runs on the run's strand; only cancel() may be called from elsewhere.
//
// Completion counts work instead of watching queues: every item is in some node's
// care (held, ready or being processed) until its call returns, so when no node has
// work the run is complete, whatever order the nodes were declared in.

#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "agdf/engine/engine.hpp"
#include "node_state.hpp"
#include "task_context.hpp"

namespace agdf::engine::detail {

/// Thrown by emit() once the run halts or is cancelled: it ends the call quietly.
struct RunStopping {};

class Run final : public RunHandle, public std::enable_shared_from_this<Run> {
 public:
  Run(boost::asio::any_io_executor work, boost::asio::any_io_executor blocking,
      std::shared_ptr<const Plan> plan, RunOptions options, std::shared_ptr<RunObserver> observer);

  /// Spawns every task; called once, right after construction.
  void start();
  void cancel() override;

 private:
  friend class TaskContext;
  friend class NodeState;

  // run.cpp: life cycle
  void begin();
  void spawn(boost::asio::awaitable<void> task, std::size_t slot);
  void stop(RunStatus why);
  void close_queues();
  void task_ended(std::exception_ptr error);
  void finish();

  // run.cpp: work accounting
  void work_added(NodeState& node, std::uint64_t count);
  void work_done(NodeState& node, std::uint64_t count);
  void node_idle(NodeState& node);
  void record_error(NodeState& node, ErrorRecord error);

  // run_calls.cpp: the tasks and what they call
  boost::asio::awaitable<void> consume(NodeState& node);
  boost::asio::awaitable<void> call_start(NodeState& node, Json::array_t args);
  boost::asio::awaitable<void> invoke(TaskContext& ctx, Args args);
  boost::asio::awaitable<std::optional<ErrorRecord>> call_with_policy(TaskContext& ctx, Args args);
  boost::asio::awaitable<std::optional<ErrorRecord>> attempt(TaskContext& ctx, Args args);
  boost::asio::awaitable<void> forward(TaskContext& ctx, Item item);

  // run_reporting.cpp
  void schedule_stats();
  void schedule_data_flow_log();
  void report_stats(bool force);
  void log_data_flow();
  RunResult result() const;

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  boost::asio::any_io_executor executor_;  // strand_, type-erased once for coroutines
  boost::asio::any_io_executor blocking_;
  std::shared_ptr<const Plan> plan_;
  RunOptions options_;
  std::shared_ptr<RunObserver> observer_;
  std::vector<std::unique_ptr<NodeState>> nodes_;
  std::vector<bool> logged_;  // data-flow log node filter, by node index
  std::map<std::string, std::shared_ptr<void>> resources_;  // NodeContext::run_resource()

  std::unique_ptr<boost::asio::cancellation_signal[]> signals_;  // one per task
  std::size_t task_count_ = 0;
  std::size_t live_tasks_ = 0;
  std::uint64_t pending_ = 0;  // the sum of every node's work
  RunStatus status_ = RunStatus::running;
  bool stopping_ = false;
  bool finished_ = false;
  std::string failure_;

  boost::asio::steady_timer stats_timer_;
  boost::asio::steady_timer log_timer_;
  std::vector<NodeStats> last_reported_;
};

}  // namespace agdf::engine::detail
