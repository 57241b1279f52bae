#include "agdf/metrics/service_metrics.hpp"

#include "agdf/service/convert.hpp"
#include "agdf/service/run_record.hpp"

namespace agdf::metrics {

void ServiceMetrics::on_submitted(const service::RunRecord&) {
  metrics_.runs_submitted.inc();
}

void ServiceMetrics::on_refused(std::string_view reason) {
  metrics_.runs_refused.with({reason}).inc();
}

std::shared_ptr<engine::RunObserver> ServiceMetrics::observe(const service::RunRecord& run) {
  return std::make_shared<RunMetrics>(metrics_, series_, *run.plan());
}

void ServiceMetrics::on_final(const service::RunRecord&, v1::RunState state) {
  metrics_.runs_finished.with({service::state_name(state)}).inc();
}

}  // namespace agdf::metrics
