#pragma once
// One HTTP GET with the policy the HTTP functions share: a deadline per attempt, retries
// with backoff, redirects, a response size limit and TLS with certificate verification.
// Runs on the calling coroutine's executor (the run's strand); each call owns its
// connection, so several tasks of a node fetch concurrently, and cancelling the run
// cancels the request in flight.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "io.hpp"

namespace boost::asio::ssl {
class context;
}

namespace agdf {
class EgressPolicy;
}

namespace agdf::io {

struct HttpSettings {
  /// The limit on one attempt: connecting, the TLS handshake, sending, and the response.
  milliseconds timeout{30'000};
  /// Further attempts after a connection error, a timeout, a 5xx or a 429.
  int retries = 3;
  /// The wait before retry k (from 1) is backoff * 2^(k-1), unless the server's
  /// Retry-After says otherwise; no wait is longer than max_wait.
  milliseconds backoff{500};
  milliseconds max_wait{60'000};
  std::size_t max_response_bytes = std::size_t{64} << 20;
  bool verify_tls = true;
  /// A context of one's own (tls_context_trusting); default: the system's CA store.
  std::shared_ptr<boost::asio::ssl::context> tls;
  std::vector<std::pair<std::string, std::string>> headers;
  /// Checked against every address the host resolves to, on each redirect too; null
  /// allows everything.
  std::shared_ptr<const EgressPolicy> egress;
};

struct HttpResponse {
  unsigned status = 0;
  std::string body;
  std::string content_type;
};

/// GETs `url`, following up to 5 redirects and retrying as `settings` say, logging each
/// retry to the run. Only a 2xx response returns; otherwise a NodeError: "HTTPError" (a
/// 4xx, or a 5xx/429 after the last retry), "TimeoutError", "ConnectionError", "SSLError"
/// (never retried), "ValueError" (a bad URL, a response over the size limit) or
/// "PermissionError" (the egress policy refuses every address of the host; never retried).
asio::awaitable<HttpResponse> http_get(NodeContext& ctx, std::string url,
                                       const HttpSettings& settings);

/// The body as JSON; a NodeError("ValueError") naming `url` when it is not JSON.
Json parse_json_body(const HttpResponse& response, const std::string& url);

/// A verifying TLS client context that trusts the certificates in `pem` (instead of the
/// system's CA store). Throws NodeError("SSLError") when they cannot be used.
std::shared_ptr<boost::asio::ssl::context> tls_context_trusting(const std::string& pem);

}  // namespace agdf::io
