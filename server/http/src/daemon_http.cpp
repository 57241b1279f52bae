#include "agdf/http/daemon_http.hpp"

#include <iostream>

#include "agdf/auth/call_auth.hpp"
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
      metrics_,
      std::vector<std::string>{"agdf.v1.Agdf", "agdf.v1.AgdfWorkers", "grpc.health.v1.Health"}));
}

void DaemonHttp::attach(service::RunManager& runs) {
  runs.add_observer(
      [this](const std::shared_ptr<service::RunRecord>& run) { return hooks_.observe(*run); });
  metrics_.watch_runs(runs);
}

namespace {

/// The daemon's token check, as the HTTP port asks it: the same principals and rights as
/// gRPC calls (401 for no or an unknown token, 403 for a missing right).
Authorize with_tokens(const auth::CallAuthenticator& tokens) {
  return [&tokens](std::optional<std::string_view> authorization, std::string_view rpc) {
    auth::Admission admission = tokens.admit(authorization, rpc);
    if (admission) return AuthResult::allow(admission.principal->name);
    const std::string why = admission.status.error_message();
    return admission.status.error_code() == grpc::StatusCode::PERMISSION_DENIED
               ? AuthResult::forbidden(why)
               : AuthResult::unauthenticated(why);
  };
}

}  // namespace

bool DaemonHttp::start(const service::DaemonContext& context, std::string& error) {
  HttpBackend backend{context.functions, context.requests, &metrics_, authorize_, nullptr};
  if (context.auth && context.auth->enabled()) {
    const auth::CallAuthenticator& tokens = *context.auth;
    backend.authorize = with_tokens(tokens);
    backend.may_cancel = [&tokens](std::optional<std::string_view> authorization,
                                   const std::string& owner, const std::string& run_id) {
      auth::Admission admission = tokens.admit(authorization, "CancelRun");
      if (!admission) return admission.status;
      return auth::may_cancel(*admission.principal, owner, run_id);
    };
  }
  server_ = std::make_unique<HttpServer>(std::move(backend), options_);
  if (!server_->start(error)) {
    server_.reset();
    return false;
  }
  std::cout << "agdf-server http listening on " << server_->url() << std::endl;
  service::log(service::LogLevel::info, "http listening",
               {{"url", server_->url()}, {"max_connections", options_.max_connections}});
  return true;
}

void DaemonHttp::reload() {
  if (!server_ || !options_.tls) return;
  std::string error;
  if (server_->reload_tls(error))
    service::log(service::LogLevel::info, "http certificates reloaded",
                 {{"certificate", options_.tls->certificate.string()}});
  else
    service::log(service::LogLevel::error,
                 "http certificates not reloaded, keeping the current ones", {{"error", error}});
}

void DaemonHttp::on_shutdown() {
  if (server_) server_->set_ready(false);
}

void DaemonHttp::stop() {
  if (server_) server_->stop();
}

}  // namespace agdf::http
