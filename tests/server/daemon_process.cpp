#include "server/daemon_process.hpp"

#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace agdf::testing {
namespace {

constexpr std::string_view kListening = "agdf-server listening on ";
constexpr auto kStartTimeout = std::chrono::seconds(30);

/// A fresh temporary directory, unless the arguments say where the run history goes (or
/// that there is none).
std::filesystem::path fresh_state_dir(const std::vector<std::string>& args) {
  for (const auto& arg : args)
    if (arg == "--no-store" || arg == "--state-dir" || arg.starts_with("--state-dir=")) return {};
  std::string pattern =
      (std::filesystem::temp_directory_path() / "agdf-daemon-state-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

std::vector<std::string> daemon_command(const std::string& binary,
                                        const std::filesystem::path& state_dir,
                                        const std::vector<std::string>& extra_args) {
  std::vector<std::string> argv{binary, "serve", "--listen", "127.0.0.1:0"};
  if (!state_dir.empty()) argv.insert(argv.end(), {"--state-dir", state_dir.string()});
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  return argv;
}

ChildOptions daemon_options(const std::string& stderr_path) {
  if (stderr_path.empty()) return {.env = {}, .stderr_to = StderrTo::inherit, .stderr_file = {}};
  return {.env = {}, .stderr_to = StderrTo::file, .stderr_file = stderr_path};
}

}  // namespace

DaemonProcess::DaemonProcess(const std::string& binary, const std::vector<std::string>& extra_args,
                             const std::string& stderr_path)
    : own_state_dir_(fresh_state_dir(extra_args)),
      child_(daemon_command(binary, own_state_dir_, extra_args), daemon_options(stderr_path)) {
  address_ = stdout_line(kListening, kStartTimeout);
  if (address_.empty()) {
    child_.send_signal(SIGKILL);
    child_.wait_exit(std::chrono::seconds(10));
    std::error_code ec;
    if (!own_state_dir_.empty()) std::filesystem::remove_all(own_state_dir_, ec);
    throw std::runtime_error("agdf-server did not say where it listens");
  }
}

DaemonProcess::~DaemonProcess() {
  // Dead before its state directory goes.
  child_.send_signal(SIGKILL);
  child_.wait_exit(std::chrono::seconds(10));
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
  child_.send_signal(signal);
}

std::optional<int> DaemonProcess::wait_exit(std::chrono::milliseconds timeout) {
  return child_.wait_exit(timeout);
}

std::string DaemonProcess::stdout_line(std::string_view prefix, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    auto line = child_.read_line(std::max(left, std::chrono::milliseconds(0)));
    if (!line) return {};
    if (line->starts_with(prefix)) return line->substr(prefix.size());
  }
}

std::size_t DaemonProcess::resident_bytes() const {
  std::ifstream status("/proc/" + std::to_string(pid()) + "/status");
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
