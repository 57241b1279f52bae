#pragma once
/// A loopback TCP relay whose connections a test can cut, to break a client's stream
/// the way a network failure does, while new connections still get through.

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace agdf::client::testing {

class TcpProxy {
 public:
  /// Listens on 127.0.0.1 (a free port) and relays each connection to `upstream_port`.
  explicit TcpProxy(int upstream_port);
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  /// Breaks every relayed connection open now.
  void cut_connections();

  /// How many connections were accepted so far.
  int connections() const { return accepted_.load(); }

 private:
  void accept_loop();
  void relay(int from, int to);

  int upstream_port_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<int> accepted_{0};
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::vector<int> open_fds_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace agdf::client::testing
