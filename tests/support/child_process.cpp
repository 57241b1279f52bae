#include "support/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <utility>

extern char** environ;

namespace agdf::testing {
namespace {

std::vector<std::string> child_environment(const std::map<std::string, std::string>& changes) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    if (!changes.contains(entry.substr(0, entry.find('=')))) env.push_back(entry);
  }
  for (const auto& [key, value] : changes)
    if (!value.empty()) env.push_back(key + "=" + value);
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

/// The file descriptors the child's stdin, stdout and stderr become, opened before the
/// fork (after it, the child may only make async-signal-safe calls). Closed on destruction.
struct ChildStreams {
  int in = -1;
  int out[2] = {-1, -1};
  int err[2] = {-1, -1};  ///< err[1] alone for a file

  explicit ChildStreams(const ChildOptions& options) {
    in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (in < 0 || ::pipe2(out, O_CLOEXEC) != 0) fail("cannot open /dev/null or a pipe");
    if (options.stderr_to == StderrTo::pipe && ::pipe2(err, O_CLOEXEC) != 0)
      fail("cannot open a pipe");
    if (options.stderr_to == StderrTo::file) {
      err[1] = ::open(options.stderr_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
      if (err[1] < 0) fail("cannot open " + options.stderr_file.string());
    }
  }
  ~ChildStreams() { close_all(); }

  void close_all() {
    for (int* fd : {&in, &out[0], &out[1], &err[0], &err[1]})
      if (*fd >= 0) ::close(std::exchange(*fd, -1));
  }
  [[noreturn]] void fail(const std::string& what) {
    close_all();  // a constructor that throws is not followed by its destructor
    throw std::runtime_error(what);
  }
  /// Hands the parent's end of a pipe over to the caller.
  static int take(int& fd) { return std::exchange(fd, -1); }
};

}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const ChildOptions& options) {
  if (argv.empty()) throw std::invalid_argument("ChildProcess needs a program");
  std::vector<std::string> args = argv;
  std::vector<std::string> env = child_environment(options.env);
  auto c_args = c_strings(args);
  auto c_env = c_strings(env);
  ChildStreams streams(options);
  const pid_t parent = ::getpid();

  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {  // the child: only async-signal-safe calls from here on
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(streams.in, STDIN_FILENO);
    ::dup2(streams.out[1], STDOUT_FILENO);
    if (streams.err[1] >= 0) ::dup2(streams.err[1], STDERR_FILENO);
    ::execvpe(c_args[0], c_args.data(), c_env.data());
    ::_exit(127);
  }
  out_fd_ = ChildStreams::take(streams.out[0]);
  err_fd_ = ChildStreams::take(streams.err[0]);
}

ChildProcess::~ChildProcess() {
  if (!reaped_) kill_and_reap();
  if (out_fd_ >= 0) ::close(out_fd_);
  if (err_fd_ >= 0) ::close(err_fd_);
}

bool ChildProcess::pump(Clock::time_point deadline, int pidfd) {
  std::vector<pollfd> fds;
  if (out_fd_ >= 0) fds.push_back({out_fd_, POLLIN, 0});
  if (err_fd_ >= 0) fds.push_back({err_fd_, POLLIN, 0});
  if (pidfd >= 0) fds.push_back({pidfd, POLLIN, 0});
  if (fds.empty()) return false;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  if (left.count() <= 0) return false;
  if (::poll(fds.data(), fds.size(), static_cast<int>(left.count())) <= 0) return false;
  bool exited = false;
  for (const pollfd& p : fds) {
    if (p.revents == 0) continue;
    if (p.fd == pidfd) {
      exited = true;
      continue;
    }
    char buffer[8192];
    const ssize_t n = ::read(p.fd, buffer, sizeof buffer);
    const bool is_out = p.fd == out_fd_;
    if (n > 0) {
      (is_out ? out_ : err_).append(buffer, static_cast<std::size_t>(n));
    } else {
      ::close(p.fd);
      (is_out ? out_fd_ : err_fd_) = -1;
    }
  }
  return !exited;
}

std::optional<int> ChildProcess::reap(bool block) {
  if (reaped_) return exit_code_;
  int status = 0;
  if (::waitpid(pid_, &status, block ? 0 : WNOHANG) != pid_) return std::nullopt;
  reaped_ = true;
  exit_code_ = decode_status(status);
  return exit_code_;
}

void ChildProcess::kill_and_reap() {
  if (reaped_) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  reaped_ = true;
}

std::optional<std::string> ChildProcess::read_line(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (auto eol = out_.find('\n'); eol != std::string::npos) {
      std::string line = out_.substr(0, eol);
      out_.erase(0, eol + 1);
      return line;
    }
    if (out_fd_ < 0 || !pump(deadline)) return std::nullopt;
  }
}

bool ChildProcess::wait_for_stderr(std::string_view needle, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (err_.find(needle) == std::string::npos)
    if (err_fd_ < 0 || !pump(deadline)) return err_.find(needle) != std::string::npos;
  return true;
}

void ChildProcess::send_signal(int signal) const {
  if (!reaped_) ::kill(pid_, signal);
}

std::optional<int> ChildProcess::wait(std::chrono::milliseconds timeout) {
  if (reaped_) return exit_code_;
  const auto deadline = Clock::now() + timeout;
  while ((out_fd_ >= 0 || err_fd_ >= 0) && pump(deadline)) {
  }
  if (out_fd_ < 0 && err_fd_ < 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (auto code = wait_exit(std::max(left, std::chrono::milliseconds(0)))) return code;
  }
  kill_and_reap();
  return std::nullopt;
}

std::optional<int> ChildProcess::wait_exit(std::chrono::milliseconds timeout) {
  if (reaped_) return exit_code_;
  // A pidfd becomes readable when the process exits: wait on it and the pipes, bounded.
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
  if (pidfd >= 0) {
    const auto deadline = Clock::now() + timeout;
    while (pump(deadline, pidfd)) {
    }
    ::close(pidfd);
  }
  return reap(false);
}

Finished ChildProcess::finish(std::chrono::milliseconds timeout) {
  const auto code = wait(timeout);
  return {code.value_or(-1), out_, err_};
}

std::vector<std::string> Finished::out_lines() const {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t eol; (eol = out.find('\n', start)) != std::string::npos; start = eol + 1)
    lines.push_back(out.substr(start, eol - start));
  if (start < out.size()) lines.push_back(out.substr(start));
  return lines;
}

Finished run_to_end(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                    const ChildOptions& options) {
  ChildProcess child(argv, options);
  return child.finish(timeout);
}

}  // namespace agdf::testing
