#pragma once
// Which handler answers a request, and whether the caller may ask it: every API route
// names the RPC it stands for and is judged by the backend's Authorize.

#include <atomic>

#include <boost/asio/awaitable.hpp>

#include "agdf/http/http_server.hpp"
#include "api.hpp"
#include "request.hpp"

namespace agdf::http {

class Router {
 public:
  Router(HttpBackend& backend, const HttpOptions& options, const std::atomic<bool>& ready)
      : backend_(backend), api_(backend, options), ready_(ready) {}

  boost::asio::awaitable<Reply> handle(const Request& request, Writer& writer) const;

 private:
  boost::asio::awaitable<Reply> api(const Request& request, Writer& writer) const;
  Reply metrics(const Request& request) const;
  /// An error reply when the caller may not call `rpc`.
  std::optional<Reply> refuse(const Request& request, std::string_view rpc) const;

  HttpBackend& backend_;
  Api api_;
  const std::atomic<bool>& ready_;
};

}  // namespace agdf::http
