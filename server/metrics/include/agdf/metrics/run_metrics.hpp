#pragma once
/// Per-function metrics folded from what a run already reports: each stats snapshot's
/// difference from the previous one is added to the counters of the node's function,
/// and the final counts when the run ends. The engine's hot path pays nothing; the
/// counters lag a run by at most its stats interval and are exact once it finished.

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "agdf/engine/plan.hpp"
#include "agdf/engine/run_observer.hpp"
#include "agdf/metrics/daemon_metrics.hpp"

namespace agdf::metrics {

/// The series of one function, looked up once.
struct FunctionSeries {
  Counter* in;
  Counter* out;
  Counter* err;
  Gauge* queued;
  Gauge* active;
};

/// Function name -> its series, so starting a run costs a hash look-up per node rather
/// than a family look-up per metric. Thread-safe.
class FunctionSeriesCache {
 public:
  explicit FunctionSeriesCache(DaemonMetrics& metrics) : metrics_(metrics) {}
  FunctionSeries get(const std::string& function);

 private:
  DaemonMetrics& metrics_;
  std::mutex mutex_;
  std::unordered_map<std::string, FunctionSeries> series_;
};

/// Observes one run for metrics. Calls come from the run's strand, in order.
class RunMetrics final : public engine::RunObserver {
 public:
  RunMetrics(DaemonMetrics& metrics, FunctionSeriesCache& series, const engine::Plan& plan);

  void on_started(std::span<const engine::StartCall> starts) override;
  void on_stats(std::span<const engine::NodeSnapshot> nodes) override;
  void on_finished(const engine::RunResult& result) override;

 private:
  struct Node {
    std::string name;
    FunctionSeries series;
    engine::NodeStats seen;  ///< counts already added
    std::int64_t queued = 0;
    std::int64_t active = 0;
  };
  Node* find(std::size_t index, std::string_view name);
  static void add_counts(Node& node, const engine::NodeStats& now);
  static void set_levels(Node& node, std::int64_t queued, std::int64_t active);

  DaemonMetrics& metrics_;
  std::vector<Node> nodes_;
  std::chrono::steady_clock::time_point started_at_;
  bool started_ = false;
};

}  // namespace agdf::metrics
