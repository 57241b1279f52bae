#pragma once
/// The daemon's HTTP/1.1 port (Boost.Beast): /metrics, /healthz, /readyz, the JSON API
/// the dashboard uses (runs, one run, its graph, its events, a live event stream,
/// cancel, submit) and the dashboard itself, built into the binary.
///
/// It runs on its own thread and io_context, so nothing it does (a slow client, a big
/// page of runs) runs on the threads that run graphs. Each connection has deadlines
/// for reading a request and writing a response, requests have size limits, and at
/// most `max_connections` are open at once (more are answered 503 and closed). An event
/// stream reads the run's event log the way WatchRun does: one write in flight, the
/// next event read when it is done, so a slow reader falls behind (and is told what it
/// missed), never slows the run.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "agdf/http/auth.hpp"
#include "agdf/metrics/daemon_metrics.hpp"
#include "agdf/nodes/registry.hpp"
#include "agdf/service/run_manager.hpp"
#include "agdf/service/run_requests.hpp"

namespace agdf::http {

/// PEM files of the certificate chain and private key: the port then speaks HTTPS.
struct TlsFiles {
  std::filesystem::path certificate;
  std::filesystem::path private_key;
};

struct HttpOptions {
  std::string listen = "127.0.0.1:8080";  ///< host:port; port 0 picks a free port
  std::optional<TlsFiles> tls;
  std::size_t max_connections = 256;
  std::size_t max_body_bytes = 4 * 1024 * 1024;     ///< a submitted graph file, at most
  std::chrono::milliseconds read_timeout{30'000};   ///< a whole request, or an idle keep-alive
  std::chrono::milliseconds write_timeout{30'000};  ///< a whole response, or one streamed event
  std::chrono::milliseconds heartbeat{15'000};      ///< a comment on an idle event stream
};

/// What the HTTP port serves from.
struct HttpBackend {
  const Registry& functions;
  /// The run RPCs' logic, as the gRPC service answers them (runs in memory or stored).
  service::RunRequests& requests;
  metrics::DaemonMetrics* metrics = nullptr;  ///< /metrics is 404 without it
  Authorize authorize = allow_everyone();
  /// OK when the caller sending `authorization` may cancel a run `owner` submitted; null:
  /// whoever may call CancelRun may cancel any run (a daemon without tokens).
  std::function<grpc::Status(std::optional<std::string_view> authorization,
                             const std::string& owner, const std::string& run_id)>
      may_cancel;
};

class HttpServer {
 public:
  HttpServer(HttpBackend backend, HttpOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Binds and starts serving on its own thread. False (with `error` set) when the
  /// address cannot be bound or the TLS files cannot be used.
  bool start(std::string& error);

  /// "host:port" as bound (the real port when asked for 0).
  const std::string& address() const noexcept;
  /// "http://host:port" or "https://host:port".
  std::string url() const;

  /// Reads the certificate and key files again (SIGHUP): connections accepted from now on
  /// use them, connections already open keep theirs. False (with `error`), keeping the
  /// current ones, when the files cannot be used; true and nothing done without TLS.
  bool reload_tls(std::string& error);

  /// /readyz answers 503 from now on (the daemon is shutting down).
  void set_ready(bool ready) noexcept;

  /// Closes the port and every connection, and joins the thread.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace agdf::http
