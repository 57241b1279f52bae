#pragma once
// One HTTP connection, plain or TLS: read a request (within the read deadline and size
// limits), answer it through the router (within the write deadline), repeat while the
// client keeps the connection alive. An event stream ends the connection when it ends.

#include <chrono>
#include <string>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "agdf/http/http_server.hpp"
#include "agdf/service/log.hpp"
#include "request.hpp"
#include "router.hpp"

namespace agdf::http {

namespace asio = boost::asio;

/// Counts a reply in agdf_http_requests_total.
void count_reply(metrics::DaemonMetrics* metrics, const Reply& reply);

template <typename Stream>
class StreamWriter final : public Writer {
 public:
  StreamWriter(Stream& stream, std::chrono::milliseconds timeout)
      : stream_(stream), timeout_(timeout) {}

  asio::awaitable<bool> write(std::string data) override {
    beast::get_lowest_layer(stream_).expires_after(timeout_);
    auto [ec, n] = co_await asio::async_write(stream_, asio::buffer(data),
                                              asio::as_tuple(asio::use_awaitable));
    co_return !ec;
  }
  asio::any_io_executor executor() override { return stream_.get_executor(); }

 private:
  Stream& stream_;
  const std::chrono::milliseconds timeout_;
};

/// Answers one request that could not be read; the connection then closes.
template <typename Stream>
asio::awaitable<void> write_error(Stream& stream, const HttpOptions& options,
                                  metrics::DaemonMetrics* metrics, unsigned status,
                                  std::string_view why) {
  Message request;
  request.version(11);
  request.keep_alive(false);
  Reply reply = error_reply(request, status, why);
  reply.route = "bad_request";
  count_reply(metrics, reply);
  beast::get_lowest_layer(stream).expires_after(options.write_timeout);
  co_await bhttp::async_write(stream, reply.response, asio::as_tuple(asio::use_awaitable));
}

template <typename Stream>
asio::awaitable<void> serve_requests(Stream& stream, const Router& router,
                                     const HttpOptions& options, metrics::DaemonMetrics* metrics) {
  beast::flat_buffer buffer;
  for (;;) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(options.max_body_bytes);
    beast::get_lowest_layer(stream).expires_after(options.read_timeout);
    auto [header_ec, header_n] = co_await bhttp::async_read_header(
        stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    const bool too_big = header_ec == bhttp::error::body_limit ||
                         (!header_ec && parser.content_length() &&
                          *parser.content_length() > options.max_body_bytes);
    if (too_big) {
      co_await write_error(
          stream, options, metrics, 413,
          "request body over the limit of " + std::to_string(options.max_body_bytes) + " bytes");
      co_return;
    }
    if (header_ec) {
      // A malformed request is told why; a closed, reset or timed-out one just ends.
      const bool malformed =
          header_ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
          header_ec != bhttp::error::end_of_stream && header_ec != bhttp::error::partial_message;
      if (malformed)
        co_await write_error(stream, options, metrics, 400, "bad request: " + header_ec.message());
      co_return;
    }
    if (auto expect = parser.get().find(bhttp::field::expect);
        expect != parser.get().end() && beast::iequals(expect->value(), "100-continue")) {
      bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, parser.get().version()};
      beast::get_lowest_layer(stream).expires_after(options.write_timeout);
      auto [ec, n] =
          co_await bhttp::async_write(stream, go_on, asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
    }
    auto [body_ec, body_n] =
        co_await bhttp::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    if (body_ec == bhttp::error::body_limit) {
      co_await write_error(
          stream, options, metrics, 413,
          "request body over the limit of " + std::to_string(options.max_body_bytes) + " bytes");
      co_return;
    }
    if (body_ec) co_return;

    auto request = parse_request(parser.release());
    if (!request) {
      co_await write_error(stream, options, metrics, 400, "bad request target");
      co_return;
    }
    StreamWriter<Stream> writer(stream, options.write_timeout);
    Reply reply;
    try {
      reply = co_await router.handle(*request, writer);
    } catch (const std::exception& e) {
      service::log(service::LogLevel::error, "http request failed",
                   {{"path", request->path}, {"error", e.what()}});
      reply = error_reply(request->message, 500, "internal error");
      reply.route = "error";
    }
    count_reply(metrics, reply);
    if (reply.streamed) co_return;
    if (request->message.method() == bhttp::verb::head) {
      const auto length = reply.response.body().size();
      reply.response.body().clear();
      reply.response.content_length(length);
    }
    beast::get_lowest_layer(stream).expires_after(options.write_timeout);
    auto [write_ec, write_n] =
        co_await bhttp::async_write(stream, reply.response, asio::as_tuple(asio::use_awaitable));
    if (write_ec || !reply.response.keep_alive()) co_return;
  }
}

}  // namespace agdf::http
