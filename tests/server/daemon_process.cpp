#include "server/daemon_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace agdf::testing {
namespace {

constexpr std::string_view kListening = "agdf-server listening on ";
constexpr auto kStartTimeout = std::chrono::seconds(30);

/// Reads `fd` until a full line starting with `prefix` arrived; returns the rest of it.
/// Bytes after that line stay in `buffer`.
std::string read_line(int fd, std::string& buffer, std::string_view prefix,
                      std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    for (auto end = buffer.find('\n'); end != std::string::npos; end = buffer.find('\n')) {
      std::string line = buffer.substr(0, end);
      buffer.erase(0, end + 1);
      if (line.starts_with(prefix)) return line.substr(prefix.size());
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{fd, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return {};
    char chunk[512];
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n <= 0) return {};
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
}

/// True when the arguments say where the run history goes (or that there is none).
bool chooses_state(const std::vector<std::string>& args) {
  for (const auto& arg : args)
    if (arg == "--no-store" || arg == "--state-dir" || arg.starts_with("--state-dir=")) return true;
  return false;
}

std::filesystem::path make_temp_dir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "agdf-daemon-state-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

}  // namespace

DaemonProcess::DaemonProcess(const std::string& binary, const std::vector<std::string>& extra_args,
                             const std::string& stderr_path) {
  std::vector<std::string> args{binary, "serve", "--listen", "127.0.0.1:0"};
  if (!chooses_state(extra_args)) {
    own_state_dir_ = make_temp_dir();
    args.insert(args.end(), {"--state-dir", own_state_dir_.string()});
  }
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ == 0) {
    // The daemon dies with the test, even when the test crashes.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(out[1], STDOUT_FILENO);
    if (!stderr_path.empty()) {
      const int err = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      if (err >= 0) ::dup2(err, STDERR_FILENO);
    }
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  stdout_fd_ = out[0];
  if (pid_ < 0) {
    ::close(stdout_fd_);
    throw std::runtime_error("cannot start " + binary);
  }
  address_ = read_line(stdout_fd_, stdout_buffer_, kListening,
                       std::chrono::steady_clock::now() + kStartTimeout);
  if (address_.empty()) {
    send_signal(SIGKILL);
    wait_exit(std::chrono::seconds(10));
    std::error_code ec;
    if (!own_state_dir_.empty()) std::filesystem::remove_all(own_state_dir_, ec);
    throw std::runtime_error("agdf-server did not say where it listens");
  }
}

DaemonProcess::~DaemonProcess() {
  if (!exit_code_) {
    send_signal(SIGKILL);
    wait_exit(std::chrono::seconds(10));
  }
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
  std::error_code ec;
  if (!own_state_dir_.empty()) std::filesystem::remove_all(own_state_dir_, ec);
}

std::shared_ptr<grpc::Channel> DaemonProcess::channel() const {
  grpc::ChannelArguments args;
  args.SetInt("grpc.use_local_subchannel_pool", 1);  // its own connection, not a shared one
  return grpc::CreateCustomChannel(address_, grpc::InsecureChannelCredentials(), args);
}

std::unique_ptr<agdf::v1::Agdf::Stub> DaemonProcess::stub() const {
  return agdf::v1::Agdf::NewStub(channel());
}

void DaemonProcess::send_signal(int signal) const {
  if (pid_ > 0 && !exit_code_) ::kill(pid_, signal);
}

std::optional<int> DaemonProcess::wait_exit(std::chrono::milliseconds timeout) {
  if (exit_code_) return exit_code_;
  // A pidfd becomes readable when the process exits: wait on it, bounded.
  int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
  if (fd >= 0) {
    pollfd p{fd, POLLIN, 0};
    ::poll(&p, 1, static_cast<int>(timeout.count()));
    ::close(fd);
  }
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) != pid_) return std::nullopt;
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return exit_code_;
}

std::string DaemonProcess::stdout_line(std::string_view prefix, std::chrono::milliseconds timeout) {
  return read_line(stdout_fd_, stdout_buffer_, prefix, std::chrono::steady_clock::now() + timeout);
}

std::size_t DaemonProcess::resident_bytes() const {
  std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
  std::string key;
  while (status >> key) {
    if (key == "VmRSS:") {
      std::size_t kb = 0;
      status >> kb;
      return kb * 1024;
    }
    status.ignore(4096, '\n');
  }
  return 0;
}

}  // namespace agdf::testing
