#pragma once
// The JSON API under /api: the run RPCs' answers, in the shapes `agdf --json` prints
// (client/event_json), so a script can read either.

#include <string>

#include <boost/asio/awaitable.hpp>

#include "agdf/http/http_server.hpp"
#include "request.hpp"

namespace agdf::http {

class Api {
 public:
  Api(HttpBackend& backend, const HttpOptions& options) : backend_(backend), options_(options) {}

  /// GET /api/runs?state=S&label=K=V&page_size=N&page_token=T: {"runs", "next_page_token"}.
  Reply list_runs(const Request& request) const;
  /// GET /api/runs/ID: what GetRun answers.
  Reply get_run(const Request& request, const std::string& id) const;
  /// GET /api/runs/ID/graph.
  Reply run_graph(const Request& request, const std::string& id) const;
  /// GET /api/runs/ID/events?from_seq=N&limit=M: {"events", "next_seq", "finished"}.
  Reply run_events(const Request& request, const std::string& id) const;
  /// POST /api/runs/ID/cancel: {"run_id", "state"} once the run stopped.
  boost::asio::awaitable<Reply> cancel_run(const Request& request, const std::string& id) const;
  /// POST /api/runs (body: a graph file; ?label=K=V, ?stats_interval_ms=N): {"run_id",
  /// "state"} once the run is durable; `principal` submits it.
  boost::asio::awaitable<Reply> submit_run(const Request& request,
                                           const std::string& principal) const;
  /// GET /api/functions: {"functions": [...]} as `agdf --json functions` prints them.
  Reply functions(const Request& request) const;
  /// GET /api/runs/ID/stream: server-sent events, resumable with Last-Event-ID.
  boost::asio::awaitable<Reply> stream_events(const Request& request, const std::string& id,
                                              Writer& writer) const;

 private:
  HttpBackend& backend_;
  const HttpOptions& options_;
};

}  // namespace agdf::http
