#pragma once
// Starts a real program with fork/exec, reads its stdout and stderr through pipes
// (both at once, so neither can fill up and stall it), and never waits without a deadline.

#include <sys/types.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace agdf::test {

struct ProcessResult {
  int exit_code = -1;  ///< -1 when killed by a signal or by the deadline
  int signal = 0;      ///< the signal that ended it, if any
  bool timed_out = false;
  std::string out;
  std::string err;
};

class ChildProcess {
 public:
  /// Runs argv[0] (a path, no shell) with the given arguments; stdin is /dev/null.
  explicit ChildProcess(const std::vector<std::string>& argv);
  ~ChildProcess();  ///< kills the child if it is still running

  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  /// Reads until stderr contains `needle`; false if it ended or the deadline passed first.
  bool wait_for_stderr(std::string_view needle, std::chrono::milliseconds timeout);

  void send_signal(int signal);

  /// Reads everything until both pipes close, then reaps the child; kills it at the deadline.
  ProcessResult finish(std::chrono::milliseconds timeout);

 private:
  /// Reads what is available until `deadline`; false once both pipes are closed.
  bool pump(std::chrono::steady_clock::time_point deadline);

  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  ProcessResult result_;
};

/// Runs a program to the end (ChildProcess + finish).
ProcessResult run_process(const std::vector<std::string>& argv,
                          std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace agdf::test
