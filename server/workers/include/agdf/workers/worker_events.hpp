#pragma once
/// What the worker hub tells an onlooker (the daemon's metrics): workers registering and
/// leaving, and calls handed to a worker until they end there or the worker is lost.
/// Called with the hub's lock held, from any thread: keep implementations cheap and
/// non-blocking.

#include <string>

namespace agdf::workers {

class WorkerEvents {
 public:
  virtual ~WorkerEvents() = default;
  /// A worker registered its functions.
  virtual void worker_connected() = 0;
  /// A registered worker left or was lost.
  virtual void worker_disconnected() = 0;
  /// `delta` calls of `function` were handed to a worker (+) or ended there (-).
  virtual void calls_at_workers(const std::string& function, int delta) = 0;
};

}  // namespace agdf::workers
