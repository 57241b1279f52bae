#pragma once
/// The daemon's metrics and HTTP port as one component of run_daemon: it counts runs
/// through the run manager's hooks and gRPC calls through an interceptor, and serves
/// /metrics, the JSON API and the dashboard on `--http-listen`.

#include <memory>

#include "agdf/http/http_server.hpp"
#include "agdf/metrics/daemon_metrics.hpp"
#include "agdf/metrics/registry.hpp"
#include "agdf/metrics/service_metrics.hpp"
#include "agdf/metrics/worker_metrics.hpp"
#include "agdf/service/daemon_component.hpp"

namespace agdf::http {

class DaemonHttp final : public service::DaemonComponent {
 public:
  /// `authorize` judges every API and /metrics request (see auth.hpp).
  explicit DaemonHttp(HttpOptions options, Authorize authorize = allow_everyone());
  ~DaemonHttp() override;

  service::RunHooks* run_hooks() override { return &hooks_; }
  workers::WorkerEvents* worker_events() override { return &workers_; }
  /// Observes every run for metrics and reads runs running and queued when scraped.
  void attach(service::RunManager& runs) override;
  void add_interceptors(service::InterceptorFactories& factories) override;
  /// Starts the port and prints `agdf-server http listening on URL` on stdout.
  bool start(const service::DaemonContext& context, std::string& error) override;
  /// SIGHUP: the HTTP port's certificate and key read again (kept when unusable).
  void reload() override;
  void on_shutdown() override;
  void stop() override;

  metrics::DaemonMetrics& metrics() noexcept { return metrics_; }

 private:
  HttpOptions options_;
  Authorize authorize_;
  metrics::Registry registry_;
  metrics::DaemonMetrics metrics_;
  metrics::ServiceMetrics hooks_;
  /// The worker hub's events as agdf_workers_connected and agdf_worker_calls_in_flight.
  class WorkerCounts final : public workers::WorkerEvents {
   public:
    explicit WorkerCounts(metrics::DaemonMetrics& metrics) : counts_(metrics) {}
    void worker_connected() override { counts_.worker_connected(); }
    void worker_disconnected() override { counts_.worker_disconnected(); }
    void calls_at_workers(const std::string& function, int delta) override {
      counts_.calls_in_flight(function, delta);
    }

   private:
    metrics::WorkerMetrics counts_;
  } workers_{metrics_};
  std::unique_ptr<HttpServer> server_;
};

}  // namespace agdf::http
