#pragma once
/// The real agdf-server, started for a test on a free loopback port.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "server/daemon_process.hpp"

namespace agdf::client::testing {

/// A DaemonProcess that stops as a user stops one: SIGTERM, and a clean exit awaited.
class ServerProcess {
 public:
  /// Starts `agdf-server serve --listen 127.0.0.1:0 EXTRA...` and waits for its
  /// `agdf-server listening on HOST:PORT` line; throws if it does not come. Unless EXTRA
  /// names `--state-dir` or `--no-store`, it gets a temporary state directory of its own.
  explicit ServerProcess(const std::vector<std::string>& extra_args = {});
  ~ServerProcess();  ///< stops it (bounded) unless stop() or kill() did

  const std::string& address() const { return daemon_.address(); }

  /// SIGTERM, then the exit code (nullopt if it had to be killed).
  std::optional<int> stop(std::chrono::milliseconds timeout = std::chrono::seconds(30));

  /// SIGKILL: the daemon vanishes as in a crash.
  void kill();

 private:
  ::agdf::testing::DaemonProcess daemon_;
  bool stopped_ = false;
};

/// A loopback port nothing listens on (bound, then released).
int unused_port();

}  // namespace agdf::client::testing
