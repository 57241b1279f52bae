#pragma once
/// What the worker service (issue 11) tells metrics: workers connecting and leaving, and
/// calls handed to a worker until they are answered. Feeds agdf_workers_connected and
/// agdf_worker_calls_in_flight{function}. Thread-safe and cheap (relaxed atomics).

#include <string>

#include "agdf/metrics/daemon_metrics.hpp"

namespace agdf::metrics {

class WorkerMetrics {
 public:
  explicit WorkerMetrics(DaemonMetrics& metrics) : metrics_(metrics) {}

  void worker_connected() { metrics_.workers_connected.add(1); }
  void worker_disconnected() { metrics_.workers_connected.add(-1); }

  /// One call of `function` in flight, from construction until destruction (or finish()).
  class Call {
   public:
    explicit Call(Gauge& in_flight) : in_flight_(&in_flight) { in_flight_->add(1); }
    Call(Call&& other) noexcept : in_flight_(other.in_flight_) { other.in_flight_ = nullptr; }
    Call& operator=(Call&&) = delete;
    ~Call() { finish(); }
    /// The worker answered (or the call was given up); idempotent.
    void finish() {
      if (in_flight_) in_flight_->add(-1);
      in_flight_ = nullptr;
    }

   private:
    Gauge* in_flight_;
  };

  /// Starts counting a call of `function` (a registered function name: a bounded set).
  Call call_started(const std::string& function) {
    return Call(metrics_.worker_calls_in_flight.with({function}));
  }

 private:
  DaemonMetrics& metrics_;
};

}  // namespace agdf::metrics
