#include "http/http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace agdf::http_test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

void set_timeouts(int fd, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

int connect_to(const Target& target, int receive_buffer_bytes = 0) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  if (receive_buffer_bytes > 0)
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer_bytes, sizeof receive_buffer_bytes);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(target.port);
  ::inet_pton(AF_INET, target.host.c_str(), &address.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot connect to the daemon's HTTP port");
  }
  set_timeouts(fd, std::chrono::seconds(30));
  return fd;
}

template <typename Stream>
HttpAnswer exchange(Stream& stream, const Target& target, const std::string& method,
                    const std::string& path, const std::string& body,
                    const std::vector<std::pair<std::string, std::string>>& headers) {
  bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), path, 11};
  req.set(bhttp::field::host, target.host);
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = body;
  req.prepare_payload();
  bhttp::write(stream, req);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  if (method == "HEAD") parser.skip(true);
  bhttp::read(stream, buffer, parser);
  HttpAnswer answer;
  answer.status = parser.get().result_int();
  for (const auto& field : parser.get()) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    answer.headers[name] = std::string(field.value());
  }
  answer.body = parser.get().body();
  return answer;
}

}  // namespace

Target target_of(const std::string& address) {
  std::string rest = address;
  for (const char* scheme : {"http://", "https://"})
    if (rest.starts_with(scheme)) rest = rest.substr(std::string(scheme).size());
  const auto colon = rest.rfind(':');
  Target target;
  target.host = rest.substr(0, colon);
  target.port = static_cast<unsigned short>(std::stoi(rest.substr(colon + 1)));
  return target;
}

HttpAnswer request(const Target& target, const std::string& method, const std::string& path,
                   const std::string& body,
                   const std::vector<std::pair<std::string, std::string>>& headers) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.assign(tcp::v4(), connect_to(target));
  if (!target.trusted_pem) {
    beast::tcp_stream stream(std::move(socket));
    return exchange(stream, target, method, path, body, headers);
  }
  asio::ssl::context context(asio::ssl::context::tls_client);
  context.add_certificate_authority(asio::buffer(*target.trusted_pem));
  context.set_verify_mode(asio::ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), context);
  stream.set_verify_callback(asio::ssl::host_name_verification(target.host));
  stream.handshake(asio::ssl::stream_base::client);
  return exchange(stream, target, method, path, body, headers);
}

// ---- EventStream ------------------------------------------------------------------

EventStream::EventStream(const Target& target, const std::string& path,
                         const std::vector<std::pair<std::string, std::string>>& headers,
                         int receive_buffer_bytes)
    : fd_(connect_to(target, receive_buffer_bytes)) {
  std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + target.host + "\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  request += "\r\n";
  if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size()))
    throw std::runtime_error("cannot send the stream request");
  while (buffer_.find("\r\n\r\n") == std::string::npos)
    if (!fill()) throw std::runtime_error("no response header");
  const auto header_end = buffer_.find("\r\n\r\n");
  status_ = static_cast<unsigned>(std::stoi(buffer_.substr(9, 3)));
  buffer_.erase(0, header_end + 4);
}

EventStream::~EventStream() {
  if (fd_ >= 0) ::close(fd_);
}

bool EventStream::fill() {
  char chunk[16384];
  const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) return false;
  buffer_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

std::optional<SseEvent> EventStream::next() {
  for (;;) {
    for (auto end = buffer_.find("\n\n"); end != std::string::npos; end = buffer_.find("\n\n")) {
      const std::string frame = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      SseEvent event;
      std::string data;
      std::size_t start = 0;
      while (start < frame.size()) {
        auto stop = frame.find('\n', start);
        if (stop == std::string::npos) stop = frame.size();
        const std::string line = frame.substr(start, stop - start);
        if (line.starts_with("id: ")) event.id = std::stoull(line.substr(4));
        if (line.starts_with("data: ")) data += line.substr(6);
        start = stop + 1;
      }
      if (data.empty()) continue;  // retry: or a keep-alive comment
      event.data = nlohmann::ordered_json::parse(data);
      return event;
    }
    if (!fill()) return std::nullopt;
  }
}

std::vector<SseEvent> EventStream::rest() {
  std::vector<SseEvent> events;
  while (auto event = next()) events.push_back(std::move(*event));
  return events;
}

// ---- IdleConnection ---------------------------------------------------------------

IdleConnection::IdleConnection(const Target& target) : fd_(connect_to(target)) {}

IdleConnection::~IdleConnection() {
  if (fd_ >= 0) ::close(fd_);
}

void IdleConnection::send(const std::string& bytes) {
  ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
}

std::string IdleConnection::read_all(std::chrono::milliseconds timeout) {
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{fd_, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return {};
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return out;
    out.append(chunk, static_cast<std::size_t>(n));
  }
}

}  // namespace agdf::http_test
