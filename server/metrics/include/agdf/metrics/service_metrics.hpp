#pragma once
/// The run manager's hooks, counted: submissions, refusals, final states, events
/// written and missed; and the RunMetrics observer to add to every run it starts.

#include "agdf/metrics/daemon_metrics.hpp"
#include "agdf/metrics/run_metrics.hpp"
#include "agdf/service/run_hooks.hpp"

namespace agdf::metrics {

class ServiceMetrics final : public service::RunHooks {
 public:
  explicit ServiceMetrics(DaemonMetrics& metrics) : metrics_(metrics), series_(metrics) {}

  void on_submitted(const service::RunRecord& run) override;
  void on_refused(std::string_view reason) override;
  /// A RunMetrics for `run` (the run manager's observer factory).
  std::shared_ptr<engine::RunObserver> observe(const service::RunRecord& run);
  void on_final(const service::RunRecord& run, v1::RunState state) override;
  void on_event_written() override { metrics_.events_written.inc(); }
  void on_events_missed(std::uint64_t count) override { metrics_.events_missed.inc(count); }

 private:
  DaemonMetrics& metrics_;
  FunctionSeriesCache series_;
};

}  // namespace agdf::metrics
