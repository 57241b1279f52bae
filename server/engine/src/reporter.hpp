#pragma once
// What a run reports while it goes: periodic stats snapshots (only when something changed)
// and the reference's data-flow log lines, each on a timer of the run's strand.

#include <memory>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "agdf/engine/run_observer.hpp"
#include "agdf/engine/run_options.hpp"
#include "node_state.hpp"

namespace agdf::engine::detail {

class Reporter {
 public:
  Reporter(const std::vector<std::unique_ptr<NodeState>>& nodes, const RunOptions& options,
           RunObserver& observers, const boost::asio::any_io_executor& executor);

  /// Starts the timers; `keep_alive` is held by their callbacks.
  void start(std::shared_ptr<void> keep_alive);
  /// Stops the timers, then sends the final data-flow lines and stats snapshot.
  void finish();

 private:
  void schedule_stats();
  void schedule_data_flow_log();
  void report_stats(bool force);
  void log_data_flow();

  const std::vector<std::unique_ptr<NodeState>>& nodes_;
  const RunOptions& options_;
  RunObserver& observers_;
  std::vector<bool> logged_;  // the data-flow log's node filter, by node index
  std::vector<NodeStats> last_reported_;
  boost::asio::steady_timer stats_timer_;
  boost::asio::steady_timer log_timer_;
  std::shared_ptr<void> keep_alive_;
  bool finished_ = false;
};

}  // namespace agdf::engine::detail
