#include "client/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>

extern char** environ;

namespace agdf::client::testing {
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

/// Waits for the child to exit until the deadline, through a pidfd (no polling loop).
bool exited_by(pid_t pid, std::chrono::steady_clock::time_point deadline) {
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) return true;  // already reaped; waitpid will say so at once
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  pollfd p{pidfd, POLLIN, 0};
  const bool exited = poll(&p, 1, static_cast<int>(std::max<std::int64_t>(0, left.count()))) > 0;
  close(pidfd);
  return exited;
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const ChildOptions& options) {
  std::vector<std::string> args = argv;
  std::vector<std::string> env = child_environment(options.env);
  auto c_args = c_strings(args);
  auto c_env = c_strings(env);
  int out_pipe[2];
  int err_pipe[2] = {-1, -1};
  if (pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  if (options.capture_stderr && pipe2(err_pipe, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    if (options.capture_stderr) dup2(err_pipe[1], STDERR_FILENO);
    const int null_fd = open("/dev/null", O_RDONLY);
    dup2(null_fd, STDIN_FILENO);
    execve(c_args[0], c_args.data(), c_env.data());
    _exit(127);
  }
  close(out_pipe[1]);
  out_fd_ = out_pipe[0];
  if (options.capture_stderr) {
    close(err_pipe[1]);
    err_fd_ = err_pipe[0];
  }
}

ChildProcess::~ChildProcess() {
  if (!exit_code_ && pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (out_fd_ >= 0) close(out_fd_);
  if (err_fd_ >= 0) close(err_fd_);
}

bool ChildProcess::pump(std::chrono::steady_clock::time_point deadline) {
  std::vector<pollfd> fds;
  if (out_fd_ >= 0) fds.push_back({out_fd_, POLLIN, 0});
  if (err_fd_ >= 0) fds.push_back({err_fd_, POLLIN, 0});
  if (fds.empty()) return false;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return false;
  if (poll(fds.data(), fds.size(), static_cast<int>(left.count())) <= 0) return false;
  for (const auto& p : fds) {
    if (p.revents == 0) continue;
    char buffer[8192];
    const ssize_t n = read(p.fd, buffer, sizeof buffer);
    const bool is_out = p.fd == out_fd_;
    if (n > 0) {
      (is_out ? out_ : err_).append(buffer, static_cast<std::size_t>(n));
    } else {
      close(p.fd);
      (is_out ? out_fd_ : err_fd_) = -1;
    }
  }
  return true;
}

std::optional<std::string> ChildProcess::read_line(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (auto eol = out_.find('\n'); eol != std::string::npos) {
      std::string line = out_.substr(0, eol);
      out_.erase(0, eol + 1);
      return line;
    }
    if (out_fd_ < 0 || !pump(deadline)) return std::nullopt;
  }
}

std::optional<int> ChildProcess::wait(std::chrono::milliseconds timeout) {
  if (exit_code_) return exit_code_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (out_fd_ >= 0 || err_fd_ >= 0)
    if (!pump(deadline)) break;
  if (out_fd_ >= 0 || err_fd_ >= 0 || !exited_by(pid_, deadline)) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    exit_code_ = -1;
    return std::nullopt;
  }
  int status = 0;
  waitpid(pid_, &status, 0);
  exit_code_ = decode_status(status);
  return exit_code_;
}

void ChildProcess::send_signal(int signal) {
  if (!exit_code_) kill(pid_, signal);
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
  const auto code = child.wait(timeout);
  return {code.value_or(-1), child.unread_stdout(), child.stderr_text()};
}

}  // namespace agdf::client::testing
