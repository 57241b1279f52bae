#include "client/server_process.hpp"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

namespace agdf::client::testing {
namespace {

constexpr std::string_view kListeningPrefix = "agdf-server listening on ";
constexpr auto kStartTimeout = std::chrono::seconds(30);

/// A fresh temporary directory, unless the arguments say where the history goes.
std::filesystem::path own_state_dir(const std::vector<std::string>& extra_args) {
  for (const auto& arg : extra_args)
    if (arg == "--no-store" || arg == "--state-dir" || arg.starts_with("--state-dir=")) return {};
  std::string pattern = (std::filesystem::temp_directory_path() / "agdf-cli-state-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

std::vector<std::string> server_command(const std::filesystem::path& state_dir,
                                        const std::vector<std::string>& extra_args) {
  std::vector<std::string> argv{AGDF_SERVER_BIN, "serve", "--listen", "127.0.0.1:0"};
  if (!state_dir.empty()) argv.insert(argv.end(), {"--state-dir", state_dir.string()});
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  return argv;
}

}  // namespace

ServerProcess::ServerProcess(const std::vector<std::string>& extra_args)
    : own_state_dir_(own_state_dir(extra_args)),
      child_(server_command(own_state_dir_, extra_args), {.env = {}, .capture_stderr = false}) {
  while (auto line = child_.read_line(kStartTimeout)) {
    if (line->starts_with(kListeningPrefix)) {
      address_ = line->substr(kListeningPrefix.size());
      return;
    }
  }
  child_.send_signal(SIGKILL);
  child_.wait(std::chrono::seconds(10));
  std::error_code ec;
  if (!own_state_dir_.empty()) std::filesystem::remove_all(own_state_dir_, ec);
  throw std::runtime_error("agdf-server did not say where it listens");
}

ServerProcess::~ServerProcess() {
  if (!stopped_) stop(std::chrono::seconds(10));
  std::error_code ec;
  if (!own_state_dir_.empty()) std::filesystem::remove_all(own_state_dir_, ec);
}

std::optional<int> ServerProcess::stop(std::chrono::milliseconds timeout) {
  stopped_ = true;
  child_.send_signal(SIGTERM);
  return child_.wait(timeout);
}

void ServerProcess::kill() {
  stopped_ = true;
  child_.send_signal(SIGKILL);
  child_.wait(std::chrono::seconds(10));
}

int unused_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace agdf::client::testing
