#pragma once
/// Starts runs of validated graphs on a shared thread pool. Each run gets its own
/// strand, so a run's tasks and queues never race, while different runs use all cores.

#include <memory>

#include <boost/asio/any_io_executor.hpp>

#include "agdf/engine/plan.hpp"
#include "agdf/engine/run_observer.hpp"
#include "agdf/engine/run_options.hpp"

namespace agdf::engine {

/// A running graph, as seen from outside. Thread-safe.
class RunHandle {
 public:
  virtual ~RunHandle() = default;

  /// Stops the run promptly: calls in progress are cancelled, queued items dropped.
  /// The observer then gets on_finished with status cancelled. No effect once finished.
  virtual void cancel() = 0;
};

class Engine {
 public:
  /// `work` runs the graphs (usually an io_context's executor); `blocking` takes the
  /// work node functions offload (a thread pool's executor).
  Engine(boost::asio::any_io_executor work, boost::asio::any_io_executor blocking);

  /// Starts `plan` and returns at once; progress and the end go to `observer`.
  std::shared_ptr<RunHandle> start(std::shared_ptr<const Plan> plan, RunOptions options,
                                   std::shared_ptr<RunObserver> observer);

 private:
  boost::asio::any_io_executor work_;
  boost::asio::any_io_executor blocking_;
};

}  // namespace agdf::engine
