#include "client/server_process.hpp"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

namespace agdf::client::testing {

ServerProcess::ServerProcess(const std::vector<std::string>& extra_args)
    : daemon_(AGDF_SERVER_BIN, extra_args) {}

ServerProcess::~ServerProcess() {
  if (!stopped_) stop(std::chrono::seconds(10));
}

std::optional<int> ServerProcess::stop(std::chrono::milliseconds timeout) {
  stopped_ = true;
  daemon_.send_signal(SIGTERM);
  const auto code = daemon_.wait_exit(timeout);
  if (!code) kill();
  return code;
}

void ServerProcess::kill() {
  stopped_ = true;
  daemon_.send_signal(SIGKILL);
  daemon_.wait_exit(std::chrono::seconds(10));
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
