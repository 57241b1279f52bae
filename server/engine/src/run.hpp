#pragma once
// One running graph: it owns the parts of a run and their life cycle (begin, stop,
// finish). Everything here runs on the run's strand; only cancel() may be called from
// elsewhere.
//
// Follow an item: a call's `co_await ctx.emit(item)` reaches TaskContext::start_emit, the
// Router puts it in each destination's NodeState (or parks the emission there while it is
// full), the WorkLedger counts it, a consumer task (calls.cpp) takes it out and calls the
// node's function with it, and the Scheduler resumes whoever was parked.

#include <deque>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/strand.hpp>

#include "agdf/engine/engine.hpp"
#include "call_environment.hpp"
#include "node_state.hpp"
#include "reporter.hpp"
#include "router.hpp"
#include "scheduler.hpp"
#include "work_ledger.hpp"

namespace agdf::engine::detail {

class Run final : public RunHandle,
                  public std::enable_shared_from_this<Run>,
                  private WorkLedger::Listener,
                  private NodeHost,
                  private ErrorSink {
 public:
  Run(boost::asio::any_io_executor work, boost::asio::any_io_executor blocking, ValidatedRun run,
      std::vector<std::shared_ptr<RunObserver>> observers);

  /// Begins the run on its strand; called once, right after construction.
  void start();
  void cancel() override;

 private:
  void begin();
  void spawn(boost::asio::awaitable<void> task);
  void task_ended(std::exception_ptr error);
  void stop(RunStatus why);
  void finish();
  RunResult result() const;

  // WorkLedger::Listener
  void sources_finished(std::size_t node) override { nodes_[node]->sources_finished(); }
  void all_done() override;
  // NodeHost
  void continue_emission(Emission& emission) override;
  void start_consumer(std::size_t node) override;
  void log(std::size_t node, const std::string& line) override;
  std::shared_ptr<void> keep_alive() override { return shared_from_this(); }
  // ErrorSink
  void node_error(NodeState& node, ErrorRecord error) override;

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  boost::asio::any_io_executor executor_;  // strand_, type-erased once for coroutines
  boost::asio::any_io_executor blocking_;
  const std::shared_ptr<const Plan> plan_;
  const RunOptions options_;
  ObserverList observers_;
  std::map<std::string, std::shared_ptr<void>> resources_;  // NodeContext::run_resource()

  Scheduler scheduler_;
  WorkLedger work_;
  std::vector<std::unique_ptr<NodeState>> nodes_;
  Router router_;
  Reporter reporter_;
  CallEnvironment environment_;

  std::deque<boost::asio::cancellation_signal> signals_;  // one per task
  std::size_t live_tasks_ = 0;  // spawned, or asked for, and not yet ended
  RunStatus status_ = RunStatus::running;
  bool stopping_ = false;
  bool finished_ = false;
  std::string failure_;
};

}  // namespace agdf::engine::detail
