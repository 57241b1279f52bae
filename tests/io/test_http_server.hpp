#pragma once
// A real HTTP(S) server for the tests, written with Beast: it listens on 127.0.0.1 on a
// port the system picks, runs on its own thread, and answers each path with a handler the
// test sets. Responses can also hang (a slow server) or wait until several requests are
// in flight at once (proof that a client runs them concurrently).

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace agdf::io_test {

struct TestRequest {
  std::string path;
  std::map<std::string, std::string> query;  ///< decoded
  std::string target;                        ///< as sent
};

struct TestResponse {
  unsigned status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  /// Never answer (the server closes the connection when it stops).
  bool hang = false;
  /// Answer only once this many requests of the same path are waiting together.
  std::size_t wait_for_in_flight = 0;
};

using Handler = std::function<TestResponse(const TestRequest&)>;

class TestHttpServer {
 public:
  /// A certificate chain and its key, PEM: the server then speaks HTTPS.
  struct Tls {
    std::string certificate_pem;
    std::string key_pem;
  };

  /// Listens on `address` (a loopback address: 127.0.0.2 gives a second loopback host).
  explicit TestHttpServer(std::optional<Tls> tls = std::nullopt,
                          const std::string& address = "127.0.0.1");
  ~TestHttpServer();
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  /// Answers GET `path` with `handler` (called on the server's thread); other paths get 404.
  void route(const std::string& path, Handler handler);

  /// "http://ADDRESS:PORT" + path (https for a TLS server).
  std::string url(const std::string& path) const;
  unsigned short port() const noexcept;

  /// Requests of `path` that arrived so far.
  std::size_t requests(const std::string& path) const;
  /// Every request of `path`, in arrival order.
  std::vector<TestRequest> received(const std::string& path) const;

  /// Waits until `count` requests of `path` arrived; false after `limit`.
  bool wait_for_requests(const std::string& path, std::size_t count,
                         std::chrono::seconds limit = std::chrono::seconds(30)) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// A handler serving `records` (a JSON array) page by page, like the Open Brewery DB:
/// query parameters `page` (from 1) and `per_page`; past the end, an empty list.
Handler paginated(std::string records_json_array);

}  // namespace agdf::io_test
