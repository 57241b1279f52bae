#include "test_http_server.hpp"

#include <condition_variable>
#include <mutex>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <nlohmann/json.hpp>

namespace agdf::io_test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using asio::ip::tcp;

namespace {

std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+')
      out += ' ';
    else if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else
      out += text[i];
  }
  return out;
}

TestRequest parse_target(std::string_view target) {
  TestRequest request;
  request.target = target;
  const auto question = target.find('?');
  request.path = target.substr(0, question);
  if (question == std::string_view::npos) return request;
  std::string_view query = target.substr(question + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    request.query[percent_decode(pair.substr(0, eq))] =
        eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1));
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
  }
  return request;
}

}  // namespace

struct TestHttpServer::Impl {
  Impl(std::optional<Tls> tls_files, const std::string& address)
      : acceptor(io, {asio::ip::make_address(address), 0}), address(address) {
    if (tls_files) {
      tls.emplace(ssl::context::tls_server);
      tls->use_certificate_chain(asio::buffer(tls_files->certificate_pem));
      tls->use_private_key(asio::buffer(tls_files->key_pem), ssl::context::pem);
    }
    asio::co_spawn(io, accept_loop(), asio::detached);
    thread = std::thread([this] { io.run(); });
  }

  ~Impl() {
    io.stop();
    thread.join();
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      tcp::socket socket = co_await acceptor.async_accept(asio::use_awaitable);
      asio::co_spawn(io, session(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> session(tcp::socket socket) {
    try {
      if (!tls) {
        beast::tcp_stream stream(std::move(socket));
        co_await serve(stream);
        stream.socket().shutdown(tcp::socket::shutdown_both);
      } else {
        beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), *tls);
        co_await stream.async_handshake(ssl::stream_base::server, asio::use_awaitable);
        co_await serve(stream);
        co_await stream.async_shutdown(asio::use_awaitable);
      }
    } catch (const std::exception&) {
      // A client that gave up (a timeout test) or failed the handshake: nothing to do.
    }
  }

  template <typename Stream>
  asio::awaitable<void> serve(Stream& stream) {
    beast::flat_buffer buffer;
    http::request<http::empty_body> request;
    co_await http::async_read(stream, buffer, request, asio::use_awaitable);
    TestRequest parsed = parse_target(request.target());

    Handler handler;
    {
      std::lock_guard lock(mutex);
      received[parsed.path].push_back(parsed);
      if (auto it = routes.find(parsed.path); it != routes.end()) handler = it->second;
    }
    arrived.notify_all();
    TestResponse reply = handler ? handler(parsed) : TestResponse{404, R"({"message":"no route"})"};

    if (reply.hang) {
      asio::steady_timer never(io, std::chrono::hours(1));
      co_await never.async_wait(asio::use_awaitable);
    }
    if (reply.wait_for_in_flight > 0)
      co_await wait_for_company(parsed.path, reply.wait_for_in_flight);

    http::response<http::string_body> response{static_cast<http::status>(reply.status), 11};
    response.set(http::field::content_type, reply.content_type);
    for (const auto& [name, value] : reply.headers) response.set(name, value);
    response.body() = std::move(reply.body);
    response.prepare_payload();
    co_await http::async_write(stream, response, asio::use_awaitable);
  }

  /// Holds this request until `count` requests of `path` wait together, then lets all go.
  asio::awaitable<void> wait_for_company(const std::string& path, std::size_t count) {
    auto& group = waiting[path];
    if (group.size() + 1 >= count) {
      for (auto* timer : group) timer->cancel();
      group.clear();
      co_return;
    }
    asio::steady_timer timer(io, std::chrono::seconds(30));
    group.push_back(&timer);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    std::erase(group, &timer);
  }

  std::optional<ssl::context> tls;  // before io: sessions still pending use it when io goes
  asio::io_context io;
  tcp::acceptor acceptor;
  std::thread thread;
  std::map<std::string, std::vector<asio::steady_timer*>> waiting;  // server thread only

  const std::string address;
  mutable std::mutex mutex;
  mutable std::condition_variable arrived;
  std::map<std::string, Handler> routes;
  std::map<std::string, std::vector<TestRequest>> received;
};

TestHttpServer::TestHttpServer(std::optional<Tls> tls, const std::string& address)
    : impl_(std::make_unique<Impl>(std::move(tls), address)) {}
TestHttpServer::~TestHttpServer() = default;

void TestHttpServer::route(const std::string& path, Handler handler) {
  std::lock_guard lock(impl_->mutex);
  impl_->routes[path] = std::move(handler);
}

unsigned short TestHttpServer::port() const noexcept {
  return impl_->acceptor.local_endpoint().port();
}

std::string TestHttpServer::url(const std::string& path) const {
  return std::string(impl_->tls ? "https" : "http") + "://" + impl_->address + ":" +
         std::to_string(port()) + path;
}

std::size_t TestHttpServer::requests(const std::string& path) const {
  return received(path).size();
}

std::vector<TestRequest> TestHttpServer::received(const std::string& path) const {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->received.find(path);
  return it == impl_->received.end() ? std::vector<TestRequest>{} : it->second;
}

bool TestHttpServer::wait_for_requests(const std::string& path, std::size_t count,
                                       std::chrono::seconds limit) const {
  std::unique_lock lock(impl_->mutex);
  return impl_->arrived.wait_for(lock, limit, [&] {
    auto it = impl_->received.find(path);
    return it != impl_->received.end() && it->second.size() >= count;
  });
}

Handler paginated(std::string records_json_array) {
  auto records = std::make_shared<const nlohmann::json>(nlohmann::json::parse(records_json_array));
  return [records](const TestRequest& request) {
    const auto number = [&](const char* key, std::size_t fallback) {
      auto it = request.query.find(key);
      return it == request.query.end() ? fallback : std::stoul(it->second);
    };
    const std::size_t page = number("page", 1), per_page = number("per_page", 50);
    nlohmann::json slice = nlohmann::json::array();
    for (std::size_t i = (page - 1) * per_page; i < page * per_page && i < records->size(); ++i)
      slice.push_back((*records)[i]);
    return TestResponse{200, slice.dump()};
  };
}

}  // namespace agdf::io_test
