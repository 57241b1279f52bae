#pragma once
/// Every metric agdf-server exposes on /metrics, registered once in one registry. Label
/// values come from bounded sets only: function names (the registry's), final states,
/// gRPC methods (the served ones) and status codes, HTTP routes. Never a run id or a
/// node name, which users choose without limit.

#include <string_view>

#include "agdf/metrics/registry.hpp"

namespace agdf::metrics {

struct DaemonMetrics {
  explicit DaemonMetrics(Registry& registry);

  Registry& registry;

  // ---- runs ----
  Counter& runs_submitted;          ///< agdf_runs_submitted_total
  Family<Counter>& runs_refused;    ///< agdf_runs_refused_total{reason}
  Family<Counter>& runs_finished;   ///< agdf_runs_finished_total{state}
  Family<Histogram>& run_duration;  ///< agdf_run_duration_seconds{state}

  // ---- per function (folded from each run's stats snapshots) ----
  Family<Counter>& items_in;    ///< agdf_function_items_in_total{function}
  Family<Counter>& items_out;   ///< agdf_function_items_out_total{function}
  Family<Counter>& errors;      ///< agdf_function_errors_total{function}
  Family<Gauge>& queue_depth;   ///< agdf_node_queue_depth{function}
  Family<Gauge>& active_calls;  ///< agdf_node_active_calls{function}

  // ---- events ----
  Counter& events_written;  ///< agdf_events_written_total
  Counter& events_missed;   ///< agdf_watch_events_missed_total

  // ---- gRPC ----
  Family<Counter>& grpc_requests;    ///< agdf_grpc_requests_total{method,code}
  Family<Histogram>& grpc_duration;  ///< agdf_grpc_request_duration_seconds{method}

  // ---- HTTP ----
  Family<Counter>& http_requests;  ///< agdf_http_requests_total{route,code}
  Gauge& http_connections;         ///< agdf_http_connections

  // ---- workers (issue 11) ----
  Gauge& workers_connected;               ///< agdf_workers_connected
  Family<Gauge>& worker_calls_in_flight;  ///< agdf_worker_calls_in_flight{function}

  /// Runs running and queued right now, read from `running()`/`queued()` when scraped.
  template <typename Runs>
  void watch_runs(const Runs& runs) {
    registry.callback_gauge("agdf_runs_running", "Runs executing now.",
                            [&runs] { return static_cast<double>(runs.running()); });
    registry.callback_gauge("agdf_runs_queued", "Runs waiting for a free slot (--max-runs).",
                            [&runs] { return static_cast<double>(runs.queued()); });
  }
};

/// The daemon's version, as in agdf_build_info.
std::string_view build_version() noexcept;

}  // namespace agdf::metrics
