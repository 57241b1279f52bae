#include "agdf/metrics/daemon_metrics.hpp"

#include <grpcpp/grpcpp.h>

namespace agdf::metrics {
namespace {

constexpr std::string_view kVersion = "0.1.0";

std::string compiler() {
#if defined(__clang__)
  return "clang " __clang_version__;
#elif defined(__GNUC__)
  return "gcc " __VERSION__;
#else
  return "unknown";
#endif
}

/// Registers build info first: a scrape shows what it is talking to before anything else.
Registry& with_build_info(Registry& registry) {
  registry.info("agdf_build_info", "Always 1; the labels say which agdf-server build is answering.",
                {{"version", std::string(kVersion)},
                 {"grpc_version", grpc::Version()},
                 {"compiler", compiler()}});
  return registry;
}

}  // namespace

std::string_view build_version() noexcept {
  return kVersion;
}

DaemonMetrics::DaemonMetrics(Registry& r)
    : registry(with_build_info(r)),
      runs_submitted(r.counter("agdf_runs_submitted_total",
                               "Runs accepted by SubmitRun (gRPC or HTTP), queued or started.")),
      runs_refused(r.counter_family(
          "agdf_runs_refused_total",
          "Submissions refused, by reason: invalid (the graph or options had problems), "
          "queue_full (--max-queued-runs reached), shutting_down.",
          {"reason"})),
      runs_finished(r.counter_family(
          "agdf_runs_finished_total",
          "Runs that ended, by final state: completed, halted, cancelled or failed.", {"state"})),
      run_duration(r.histogram_family(
          "agdf_run_duration_seconds",
          "Time from a run's start to its end, by final state (runs that never started are "
          "not observed).",
          {"state"}, run_duration_buckets())),
      items_in(r.counter_family(
          "agdf_function_items_in_total",
          "Items forwarded into the queues of nodes running this function (the stats 'in').",
          {"function"})),
      items_out(r.counter_family("agdf_function_items_out_total",
                                 "Items yielded by nodes running this function (the stats 'out').",
                                 {"function"})),
      errors(r.counter_family("agdf_function_errors_total",
                              "Failed calls of nodes running this function (the stats 'err').",
                              {"function"})),
      queue_depth(r.gauge_family(
          "agdf_node_queue_depth",
          "Items waiting in the input queues of running nodes of this function, summed over "
          "runs, as of each run's latest stats snapshot.",
          {"function"})),
      active_calls(r.gauge_family(
          "agdf_node_active_calls",
          "Calls in progress in running nodes of this function, summed over runs, as of "
          "each run's latest stats snapshot.",
          {"function"})),
      events_written(r.counter("agdf_events_written_total",
                               "Events appended to run event logs (what WatchRun streams).")),
      events_missed(r.counter(
          "agdf_watch_events_missed_total",
          "Events a watcher (WatchRun or the HTTP stream) fell too far behind to receive; "
          "each gap is reported to it as EventsMissed.")),
      grpc_requests(r.counter_family(
          "agdf_grpc_requests_total",
          "gRPC calls handled, by full method name and status code (a stream counts when it "
          "ends).",
          {"method", "code"})),
      grpc_duration(r.histogram_family(
          "agdf_grpc_request_duration_seconds",
          "Time from a gRPC call's arrival to its status being sent, by method (for "
          "WatchRun: how long the stream was open).",
          {"method"}, latency_buckets())),
      http_requests(r.counter_family("agdf_http_requests_total",
                                     "HTTP requests answered, by route and status code.",
                                     {"route", "code"})),
      http_connections(r.gauge("agdf_http_connections", "HTTP connections open now.")),
      workers_connected(
          r.gauge("agdf_workers_connected", "Worker processes connected to the daemon.")),
      worker_calls_in_flight(r.gauge_family(
          "agdf_worker_calls_in_flight",
          "Calls handed to workers and not answered yet, by function.", {"function"})) {}

}  // namespace agdf::metrics
