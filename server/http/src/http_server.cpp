#include "agdf/http/http_server.hpp"

#include <future>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/ssl.hpp>

#include "session.hpp"

namespace agdf::http {
namespace {

using tcp = asio::ip::tcp;

constexpr auto kHandshakeTimeout = std::chrono::seconds(10);
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(50);

/// "host:port" or "[v6]:port" split in two; nullopt when there is no port.
std::optional<std::pair<std::string, std::string>> split_listen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == listen.size()) return std::nullopt;
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  return std::pair{host.empty() ? std::string("0.0.0.0") : host, listen.substr(colon + 1)};
}

/// The 503 for a connection beyond max_connections: written if the socket takes it at
/// once, never waited for.
void refuse_busy(tcp::socket& socket) {
  static const std::string kBody = "too many connections, try again\n";
  static const std::string kBusy =
      "HTTP/1.1 503 Service Unavailable\r\nServer: agdf-server\r\nContent-Type: text/plain\r\n"
      "Retry-After: 1\r\nConnection: close\r\nContent-Length: " +
      std::to_string(kBody.size()) + "\r\n\r\n" + kBody;
  boost::system::error_code ec;
  socket.non_blocking(true, ec);
  socket.write_some(asio::buffer(kBusy), ec);
  socket.shutdown(tcp::socket::shutdown_both, ec);
  socket.close(ec);
}

/// Shared: a connection keeps the context it was accepted with across a reload.
std::shared_ptr<asio::ssl::context> make_tls_context(const TlsFiles& files) {
  auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                       asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
  context->use_certificate_chain_file(files.certificate.string());
  context->use_private_key_file(files.private_key.string(), asio::ssl::context::pem);
  return context;
}

}  // namespace

void count_reply(metrics::DaemonMetrics* metrics, const Reply& reply) {
  if (!metrics) return;
  const std::string code = reply.streamed ? "200" : std::to_string(reply.response.result_int());
  metrics->http_requests.with({reply.route.empty() ? "other" : reply.route, code}).inc();
}

struct HttpServer::Impl {
  Impl(HttpBackend b, HttpOptions o)
      : backend(std::move(b)), options(std::move(o)), router(backend, options, ready) {}

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> serve(tcp::socket socket);

  HttpBackend backend;
  const HttpOptions options;
  std::atomic<bool> ready{true};
  Router router;
  std::unique_ptr<asio::io_context> io = std::make_unique<asio::io_context>(1);
  std::shared_ptr<asio::ssl::context> tls;  ///< replaced on the server's thread only
  std::optional<tcp::acceptor> acceptor;
  std::size_t open = 0;  ///< connections; only touched on the server's thread
  std::string address;
  std::thread thread;
};

asio::awaitable<void> HttpServer::Impl::accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor->async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor->is_open()) co_return;
      // Out of file descriptors and the like: breathe rather than spin.
      asio::steady_timer pause(*io, kAcceptRetryDelay);
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    if (open >= options.max_connections) {
      refuse_busy(socket);
      if (backend.metrics) backend.metrics->http_requests.with({"busy", "503"}).inc();
      continue;
    }
    asio::co_spawn(*io, serve(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> HttpServer::Impl::serve(tcp::socket socket) {
  ++open;
  if (backend.metrics) backend.metrics->http_connections.add(1);
  struct Closed {
    Impl& impl;
    ~Closed() {
      --impl.open;
      if (impl.backend.metrics) impl.backend.metrics->http_connections.add(-1);
    }
  } closed{*this};
  boost::system::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);

  if (const std::shared_ptr<asio::ssl::context> context = tls) {
    beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *context);
    beast::get_lowest_layer(stream).expires_after(kHandshakeTimeout);
    auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server,
                                                asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    co_await serve_requests(stream, router, options, backend.metrics);
    beast::get_lowest_layer(stream).expires_after(kHandshakeTimeout);
    co_await stream.async_shutdown(asio::as_tuple(asio::use_awaitable));
  } else {
    beast::tcp_stream stream(std::move(socket));
    co_await serve_requests(stream, router, options, backend.metrics);
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }
}

HttpServer::HttpServer(HttpBackend backend, HttpOptions options)
    : impl_(std::make_unique<Impl>(std::move(backend), std::move(options))) {}

HttpServer::~HttpServer() {
  stop();
}

bool HttpServer::start(std::string& error) {
  Impl& impl = *impl_;
  auto parts = split_listen(impl.options.listen);
  if (!parts) {
    error = "--http-listen must be HOST:PORT, not '" + impl.options.listen + "'";
    return false;
  }
  try {
    if (impl.options.tls) impl.tls = make_tls_context(*impl.options.tls);
  } catch (const std::exception& e) {
    error = std::string("cannot use the TLS certificate or key: ") + e.what();
    return false;
  }
  boost::system::error_code ec;
  tcp::resolver resolver(*impl.io);
  auto endpoints = resolver.resolve(parts->first, parts->second,
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty()) {
    error = "cannot resolve " + impl.options.listen + ": " + ec.message();
    return false;
  }
  const tcp::endpoint endpoint = *endpoints.begin();
  impl.acceptor.emplace(*impl.io);
  impl.acceptor->open(endpoint.protocol(), ec);
  if (!ec) impl.acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl.acceptor->bind(endpoint, ec);
  if (!ec) impl.acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    error = "cannot listen on " + impl.options.listen + ": " + ec.message();
    impl.acceptor.reset();
    return false;
  }
  const tcp::endpoint bound = impl.acceptor->local_endpoint();
  const std::string host = bound.address().is_v6() ? "[" + bound.address().to_string() + "]"
                                                   : bound.address().to_string();
  impl.address = host + ":" + std::to_string(bound.port());
  asio::co_spawn(*impl.io, impl.accept_loop(), asio::detached);
  impl.thread = std::thread([&impl] { impl.io->run(); });
  return true;
}

const std::string& HttpServer::address() const noexcept {
  return impl_->address;
}

std::string HttpServer::url() const {
  return (impl_->tls ? "https://" : "http://") + impl_->address;
}

bool HttpServer::reload_tls(std::string& error) {
  Impl& impl = *impl_;
  if (!impl.options.tls || !impl.tls || !impl.io) return true;
  std::shared_ptr<asio::ssl::context> fresh;
  try {
    fresh = make_tls_context(*impl.options.tls);
  } catch (const std::exception& e) {
    error = std::string("cannot use the TLS certificate or key: ") + e.what();
    return false;
  }
  // Swapped on the server's thread, where connections read it; done when this returns.
  std::promise<void> swapped;
  asio::post(*impl.io, [&impl, &fresh, &swapped] {
    impl.tls = std::move(fresh);
    swapped.set_value();
  });
  if (impl.thread.joinable())
    swapped.get_future().wait();
  else
    impl.io->poll();
  return true;
}

void HttpServer::set_ready(bool ready) noexcept {
  impl_->ready.store(ready);
}

void HttpServer::stop() {
  Impl& impl = *impl_;
  if (!impl.io) return;
  if (impl.thread.joinable()) {
    asio::post(*impl.io, [&impl] {
      boost::system::error_code ignored;
      if (impl.acceptor) impl.acceptor->close(ignored);
    });
    impl.io->stop();
    impl.thread.join();
  }
  impl.acceptor.reset();
  impl.io.reset();  // destroys the connections' coroutines while the router still exists
}

}  // namespace agdf::http
