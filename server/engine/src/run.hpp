#pragma once
// One running graph: its queues, tasks, counters and error records. Everything here
// runs on the run's strand; only cancel() may be called from elsewhere.

#include <deque>
#include <exception>
#include <map>
#include <memory>
#include <vector>

#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "agdf/engine/engine.hpp"
#include "agdf/nodes/node_context.hpp"
#include "item_queue.hpp"

namespace agdf::engine::detail {

/// Thrown by emit() once the run halts or is cancelled: it ends the call quietly.
struct RunStopping {};

struct NodeState {
  NodeState(const PlannedNode& planned, const boost::asio::any_io_executor& executor)
      : plan(planned), queue(executor, static_cast<std::size_t>(planned.spec.queue_size)) {}

  const PlannedNode& plan;
  ItemQueue queue;
  NodeStats stats;
  std::deque<ErrorRecord> errors;
  std::vector<NodeState*> destinations;
  std::uint64_t active_calls = 0;
  bool capture = false;
};

class Run;

/// The NodeContext a node function sees; one per task, so per-call state can live here.
class TaskContext final : public NodeContext {
 public:
  TaskContext(Run& run, NodeState& node) : run_(run), node_(node) {}

  boost::asio::awaitable<void> emit(Item item) override;
  void log(std::string line) override;
  const std::string& node_name() const noexcept override { return node_.plan.spec.name; }
  boost::asio::any_io_executor executor() const override;
  boost::asio::any_io_executor blocking_executor() const override;
  const std::filesystem::path& data_dir() const noexcept override;

 protected:
  std::shared_ptr<void>& run_resource_slot(const std::string& key) override;

 private:
  Run& run_;
  NodeState& node_;
};

class Run final : public RunHandle, public std::enable_shared_from_this<Run> {
 public:
  Run(boost::asio::any_io_executor work, boost::asio::any_io_executor blocking,
      std::shared_ptr<const Plan> plan, RunOptions options, std::shared_ptr<RunObserver> observer);

  /// Spawns every task; called once, right after construction.
  void start();
  void cancel() override;

 private:
  friend class TaskContext;

  void begin();
  void spawn(boost::asio::awaitable<void> task, std::size_t slot);
  boost::asio::awaitable<void> consume(NodeState& node);
  boost::asio::awaitable<void> call_start(NodeState& node, Json::array_t args);
  boost::asio::awaitable<void> invoke(TaskContext& ctx, NodeState& node, Args args);
  boost::asio::awaitable<void> forward(NodeState& from, Item item);

  void record_error(NodeState& node, ErrorRecord error);
  void item_done();
  void stop(RunStatus why);
  void close_queues();
  void task_ended(std::exception_ptr error);
  void finish();

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
  std::uint64_t pending_ = 0;  // items queued or being processed, plus running start calls
  RunStatus status_ = RunStatus::running;
  bool stopping_ = false;
  bool finished_ = false;
  std::string failure_;

  boost::asio::steady_timer stats_timer_;
  boost::asio::steady_timer log_timer_;
  std::vector<NodeStats> last_reported_;
};

}  // namespace agdf::engine::detail
