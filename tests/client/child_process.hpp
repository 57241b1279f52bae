#pragma once
/// Real processes for end-to-end tests: fork/exec a program, read its stdout line by
/// line or to the end, and wait for its exit, every wait bounded by a deadline.

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace agdf::client::testing {

struct ChildOptions {
  std::map<std::string, std::string> env;  ///< set (or, when empty, removed) in the child
  bool capture_stderr = true;              ///< else stderr is the test's own
};

class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const ChildOptions& options = {});
  ~ChildProcess();  ///< kills the child if it still runs
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  /// The next stdout line (without '\n'), or nullopt at end of output or after `timeout`.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);

  /// Reads stdout and stderr to their end and reaps the child: its exit code (128 + signal
  /// when killed by one), or nullopt if it did not end within `timeout` (it is then killed).
  std::optional<int> wait(std::chrono::milliseconds timeout);

  void send_signal(int signal);

  /// Everything read from stdout so far that read_line has not returned.
  const std::string& unread_stdout() const { return out_; }
  const std::string& stderr_text() const { return err_; }
  pid_t pid() const { return pid_; }

 private:
  /// Reads what is there; false once both streams are at their end or the deadline passed.
  bool pump(std::chrono::steady_clock::time_point deadline);

  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::string out_;
  std::string err_;
  std::optional<int> exit_code_;
};

/// The result of running a program to its end.
struct Finished {
  int exit_code = -1;  ///< -1: it did not end in time and was killed
  std::string out;
  std::string err;

  std::vector<std::string> out_lines() const;
};

Finished run_to_end(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                    const ChildOptions& options = {});

}  // namespace agdf::client::testing
