#pragma once
/// Starts worker processes for the daemon (`--worker "COMMAND"`), so one machine needs no
/// other service manager: each command runs under /bin/sh with AGDF_SERVER set to the
/// daemon's address, in a process group of its own, its stdout sent to the daemon's
/// stderr (the daemon's stdout is a contract). A command that exits is started again
/// after a backoff (200 ms doubling to 10 s, back to 200 ms once it ran for 10 s); on
/// stop, each group gets SIGTERM and, after a grace period, SIGKILL.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <sys/types.h>

#include "agdf/workers/worker_options.hpp"

namespace agdf::workers {

struct SupervisorOptions {
  std::vector<std::string> commands;
  std::string server_address;  ///< host:port, given to each command as AGDF_SERVER
  std::chrono::milliseconds stop_grace{5000};
  WorkerLog log;
};

class WorkerSupervisor {
 public:
  explicit WorkerSupervisor(SupervisorOptions options);
  ~WorkerSupervisor();
  WorkerSupervisor(const WorkerSupervisor&) = delete;
  WorkerSupervisor& operator=(const WorkerSupervisor&) = delete;

  /// Stops every command and waits for them; idempotent.
  void stop();

  /// Processes started so far, restarts included (for tests and logs).
  std::size_t starts() const;

 private:
  void keep_running(std::size_t index);
  pid_t spawn(const std::string& command);
  void log(bool warning, std::string message,
           std::vector<std::pair<std::string, std::string>> fields) const;

  const SupervisorOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable stopping_;
  bool stop_ = false;
  std::vector<pid_t> running_;  ///< by command; 0 when not running
  std::size_t starts_ = 0;
  std::vector<std::thread> threads_;
};

}  // namespace agdf::workers
