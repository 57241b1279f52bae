#pragma once
/// The real agdf-server binary, started on a free loopback port for a test or a
/// benchmark: `serve --listen 127.0.0.1:0 EXTRA...`, its port read from its
/// `agdf-server listening on HOST:PORT` line. Killed (if still running) when destroyed.
/// Unless the arguments name `--state-dir` or `--no-store`, it gets a fresh temporary state
/// directory of its own, removed with it, so daemons started side by side never share one.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "agdf/v1/agdf.grpc.pb.h"
#include "support/child_process.hpp"

namespace agdf::testing {

class DaemonProcess {
 public:
  /// Starts the daemon and waits (bounded) for its listening line; throws if it never comes.
  /// With `stderr_path`, the daemon's logs go to that file instead of the test's stderr.
  explicit DaemonProcess(const std::string& binary, const std::vector<std::string>& extra_args = {},
                         const std::string& stderr_path = {});
  ~DaemonProcess();
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  const std::string& address() const noexcept { return address_; }
  pid_t pid() const noexcept { return child_.pid(); }

  /// A fresh channel to the daemon (its own connection).
  std::shared_ptr<grpc::Channel> channel() const;
  std::unique_ptr<agdf::v1::Agdf::Stub> stub() const;

  void send_signal(int signal) const;

  /// The exit code once the process ended (128 + signal when killed by one), or nullopt
  /// if it still runs after `timeout` (it is left running).
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);

  /// The daemon's resident memory (VmRSS) in bytes.
  std::size_t resident_bytes() const;

  /// The temporary state directory it was given (empty when the arguments chose).
  const std::filesystem::path& own_state_dir() const noexcept { return own_state_dir_; }
  /// What follows `prefix` on the next stdout line starting with it (e.g. the HTTP port's
  /// `agdf-server http listening on `); empty if none comes within `timeout`.
  std::string stdout_line(std::string_view prefix,
                          std::chrono::milliseconds timeout = std::chrono::seconds(30));

 private:
  std::filesystem::path own_state_dir_;  ///< before child_: it is in child_'s command
  ChildProcess child_;
  std::string address_;
};

}  // namespace agdf::testing
