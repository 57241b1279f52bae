#pragma once
/// What the worker hub tells metrics: workers connecting and leaving, and calls handed to
/// a worker until they end there. Feeds agdf_workers_connected and
/// agdf_worker_calls_in_flight{function}. Thread-safe and cheap (relaxed atomics).

#include <string>

#include "agdf/metrics/daemon_metrics.hpp"

namespace agdf::metrics {

class WorkerMetrics {
 public:
  explicit WorkerMetrics(DaemonMetrics& metrics) : metrics_(metrics) {}

  void worker_connected() { metrics_.workers_connected.add(1); }
  void worker_disconnected() { metrics_.workers_connected.add(-1); }

  /// `delta` calls of `function` (a registered function name: a bounded set) were handed
  /// to a worker (+) or ended there (-).
  void calls_in_flight(const std::string& function, int delta) {
    metrics_.worker_calls_in_flight.with({function}).add(delta);
  }

 private:
  DaemonMetrics& metrics_;
};

}  // namespace agdf::metrics
