#include "agdf/http/daemon_http.hpp"

#include <iostream>

#include "agdf/metrics/grpc_metrics.hpp"
#include "agdf/service/log.hpp"
#include "agdf/service/run_manager.hpp"

namespace agdf::http {

DaemonHttp::DaemonHttp(HttpOptions options, Authorize authorize)
    : options_(std::move(options)),
      authorize_(std::move(authorize)),
      metrics_(registry_),
      hooks_(metrics_) {}

DaemonHttp::~DaemonHttp() {
  stop();
}

void DaemonHttp::add_interceptors(service::InterceptorFactories& factories) {
  factories.push_back(std::make_unique<metrics::GrpcMetricsFactory>(
      metrics_, std::vector<std::string>{"agdf.v1.Agdf", "grpc.health.v1.Health"}));
}

void DaemonHttp::attach(service::RunManager& runs) {
  runs.add_observer(
      [this](const std::shared_ptr<service::RunRecord>& run) { return hooks_.observe(*run); });
  metrics_.watch_runs(runs);
}

bool DaemonHttp::start(const service::DaemonContext& context, std::string& error) {
  server_ = std::make_unique<HttpServer>(
      HttpBackend{context.functions, context.runs, context.data_dir, &metrics_, authorize_},
      options_);
  if (!server_->start(error)) {
    server_.reset();
    return false;
  }
  std::cout << "agdf-server http listening on " << server_->url() << std::endl;
  service::log(service::LogLevel::info, "http listening",
               {{"url", server_->url()}, {"max_connections", options_.max_connections}});
  return true;
}

void DaemonHttp::on_shutdown() {
  if (server_) server_->set_ready(false);
}

void DaemonHttp::stop() {
  if (server_) server_->stop();
}

}  // namespace agdf::http
