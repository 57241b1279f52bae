#pragma once
/// Starts runs of validated graphs on a shared thread pool. Each run gets its own
/// strand, so a run's tasks and queues never race, while different runs use all cores.

#include <memory>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "agdf/engine/plan.hpp"
#include "agdf/engine/run_observer.hpp"
#include "agdf/engine/run_options.hpp"
#include "agdf/engine/validated_run.hpp"

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

  /// Starts `run` and returns at once; progress and the end go to every observer, in order.
  std::shared_ptr<RunHandle> start(ValidatedRun run,
                                   std::vector<std::shared_ptr<RunObserver>> observers);

  /// The same, with one observer (or none).
  std::shared_ptr<RunHandle> start(std::shared_ptr<const Plan> plan, RunOptions options,
                                   std::shared_ptr<RunObserver> observer);

 private:
  boost::asio::any_io_executor work_;
  boost::asio::any_io_executor blocking_;
};

}  // namespace agdf::engine
