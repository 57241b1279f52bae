#pragma once
/// `agdf-server serve`: hosts the built-in functions over gRPC until SIGTERM or SIGINT,
/// then shuts down gracefully (see run_daemon).

#include <chrono>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "agdf/auth/server_tls.hpp"
#include "agdf/limits/request_limits.hpp"
#include "agdf/service/daemon_component.hpp"
#include "agdf/service/run_history.hpp"
#include "agdf/service/run_manager.hpp"
#include "agdf/workers/worker_options.hpp"

namespace agdf::service {

struct DaemonOptions {
  std::string listen = "127.0.0.1:50051";  ///< host:port; port 0 picks a free port
  unsigned threads = 0;                    ///< io_context threads; 0: one per core
  RunLimits limits;
  std::chrono::milliseconds grace_period{10'000};
  std::filesystem::path data_dir = "data";

  /// The token file (--tokens); empty: no tokens, every caller may do everything, and
  /// the daemon listens only on loopback unless insecure_listen_anywhere.
  std::filesystem::path tokens;
  bool insecure_listen_anywhere = false;
  /// --tls-cert and --tls-key (both or neither), --tls-client-ca for mutual TLS.
  auth::TlsFiles tls;
  /// --http-allow: what the egress policy lets network functions reach beyond the public
  /// internet (CIDRs, addresses, host names).
  std::vector<std::string> http_allow;
  limits::RequestLimits request_limits;
  workers::WorkerOptions workers;
  /// Worker commands the daemon starts, restarts and stops (`--worker`).
  std::vector<std::string> worker_commands;
  HistoryOptions history;
};

/// Serves until SIGTERM or SIGINT. Prints `agdf-server listening on HOST:PORT` on stdout
/// once it accepts calls. On the signal: health turns NOT_SERVING, new runs are refused
/// and queued runs cancelled, running runs get the grace period to finish and are then
/// cancelled, watchers receive RunFinished, the server stops. SIGHUP reads the TLS
/// certificates and the token file again, without dropping anything. Returns the exit
/// code: 0 after a graceful shutdown, 1 when it cannot listen, cannot open its run history,
/// or its security settings cannot be used (bad token file or certificates, no tokens on a
/// non-loopback address).
/// `components` (the HTTP port, metrics, ...) are started once gRPC listens and stopped
/// once every run has ended.
int run_daemon(const DaemonOptions& options, std::span<DaemonComponent* const> components = {});

}  // namespace agdf::service
