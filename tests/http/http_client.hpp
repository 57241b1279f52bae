#pragma once
// A blocking HTTP/1.1 client for the tests (Beast, one connection per request, socket
// timeouts so nothing hangs), plain or TLS, plus a raw connection for event streams.

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace agdf::http_test {

struct HttpAnswer {
  unsigned status = 0;
  std::map<std::string, std::string> headers;  ///< lower-case names
  std::string body;

  nlohmann::ordered_json json() const { return nlohmann::ordered_json::parse(body); }
};

struct Target {
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  /// PEM of a certificate to trust: the client then speaks HTTPS and verifies with it.
  std::optional<std::string> trusted_pem;
};

/// "127.0.0.1:PORT" or "http://127.0.0.1:PORT" as a target.
Target target_of(const std::string& address);

HttpAnswer request(const Target& target, const std::string& method, const std::string& path,
                   const std::string& body = {},
                   const std::vector<std::pair<std::string, std::string>>& headers = {});
inline HttpAnswer get(const Target& target, const std::string& path,
                      const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  return request(target, "GET", path, {}, headers);
}

/// One server-sent event.
struct SseEvent {
  std::uint64_t id = 0;
  nlohmann::ordered_json data;
};

/// A GET of an event stream, read event by event.
class EventStream {
 public:
  EventStream(const Target& target, const std::string& path,
              const std::vector<std::pair<std::string, std::string>>& headers = {},
              int receive_buffer_bytes = 0);
  ~EventStream();

  unsigned status() const noexcept { return status_; }
  /// The next event, or nullopt when the stream ended (or nothing came for 30 s).
  std::optional<SseEvent> next();
  /// Every event until the stream ends.
  std::vector<SseEvent> rest();

 private:
  bool fill();
  int fd_ = -1;
  unsigned status_ = 0;
  std::string buffer_;
};

/// Connects and sends nothing: holds one of the server's connections.
class IdleConnection {
 public:
  explicit IdleConnection(const Target& target);
  ~IdleConnection();
  void send(const std::string& bytes);
  /// Reads what the server sends until it closes (bounded); "" if it never does.
  std::string read_all(std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  int fd_ = -1;
};

}  // namespace agdf::http_test
