#pragma once
/// Real processes for end-to-end tests and benchmarks: the one fork/exec helper. Starts a
/// program, reads its stdout (line by line or to the end) and its stderr through pipes, both
/// at once so neither can fill up and stall it, and never waits without a deadline.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agdf::testing {

/// Where a child's stderr goes.
enum class StderrTo {
  pipe,     ///< captured: stderr_text(), wait_for_stderr()
  inherit,  ///< the test's own stderr
  file,     ///< appended to ChildOptions::stderr_file (created if missing)
};

/// How a child is started.
struct ChildOptions {
  std::map<std::string, std::string> env;  ///< set (or, when empty, removed) in the child
  StderrTo stderr_to = StderrTo::pipe;     ///< where its stderr goes
  std::filesystem::path stderr_file;       ///< the file, for StderrTo::file
};

/// What a program left when it ended (or was killed at the deadline).
struct Finished {
  int exit_code = -1;  ///< 128 + signal when a signal ended it; -1: killed at the deadline
  std::string out;     ///< stdout not returned by read_line
  std::string err;     ///< stderr, when it was captured

  /// True when it did not end in time and was killed.
  bool timed_out() const { return exit_code == -1; }
  /// `out` split into lines, without their '\n'.
  std::vector<std::string> out_lines() const;
};

/// One running program. stdin is /dev/null, stdout a pipe. The child gets SIGKILL when the
/// thread that started it ends, so it never outlives a crashed test.
class ChildProcess {
 public:
  /// Starts argv[0] (a path, or a name looked up in PATH; no shell). Throws if it cannot.
  explicit ChildProcess(const std::vector<std::string>& argv, const ChildOptions& options = {});
  ~ChildProcess();  ///< kills the child if it still runs
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  /// The next stdout line (without '\n'), or nullopt at end of output or after `timeout`.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);

  /// Reads until the captured stderr contains `needle`; false if the streams ended or
  /// `timeout` passed first.
  bool wait_for_stderr(std::string_view needle, std::chrono::milliseconds timeout);

  void send_signal(int signal) const;

  /// Reads stdout and stderr to their end and reaps the child: its exit code (128 + signal
  /// when a signal ended it), or nullopt if it did not end within `timeout` (it is then
  /// killed).
  std::optional<int> wait(std::chrono::milliseconds timeout);

  /// Waits for the child to exit (not for its streams to end, which processes it started may
  /// hold open) and reaps it: its exit code, or nullopt if it still runs after `timeout` (it
  /// is left running). What it writes meanwhile is read and kept.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);

  /// wait(), then what it wrote, as one value.
  Finished finish(std::chrono::milliseconds timeout);

  /// Everything read from stdout so far that read_line has not returned.
  const std::string& unread_stdout() const { return out_; }
  /// Everything read from stderr so far (StderrTo::pipe).
  const std::string& stderr_text() const { return err_; }
  pid_t pid() const { return pid_; }

 private:
  using Clock = std::chrono::steady_clock;

  /// Reads what arrives on the open pipes until `deadline`. False once nothing more can come
  /// before it: the pipes are closed, the deadline passed, or `pidfd` (if >= 0) says the
  /// child exited.
  bool pump(Clock::time_point deadline, int pidfd = -1);
  /// Reaps the child if it has exited (or, with `block`, when it does).
  std::optional<int> reap(bool block);
  void kill_and_reap();

  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::string out_;
  std::string err_;
  bool reaped_ = false;
  std::optional<int> exit_code_;  ///< set once reaped after exiting by itself or by a signal
};

/// Runs a program to its end (ChildProcess + finish).
Finished run_to_end(const std::vector<std::string>& argv,
                    std::chrono::milliseconds timeout = std::chrono::seconds(30),
                    const ChildOptions& options = {});

}  // namespace agdf::testing
