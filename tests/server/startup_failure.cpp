#include "server/startup_failure.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

namespace agdf::testing {
namespace {

constexpr auto kTimeout = std::chrono::seconds(30);

}  // namespace

StartupOutcome start_expecting_failure(const std::string& binary,
                                       const std::vector<std::string>& args,
                                       const std::vector<std::string>& wrapper) {
  std::vector<std::string> command = wrapper;
  command.insert(command.end(), {binary, "serve", "--listen", "127.0.0.1:0"});
  command.insert(command.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : command) argv.push_back(a.data());
  argv.push_back(nullptr);

  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe failed");
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(err[1], STDERR_FILENO);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  ::close(err[1]);

  StartupOutcome outcome;
  const auto deadline = std::chrono::steady_clock::now() + kTimeout;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  std::string* texts[2] = {&outcome.out, &outcome.err};
  int open = 2;
  bool serving = false;
  while (open > 0 && !serving) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || ::poll(fds, 2, static_cast<int>(left.count())) <= 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      char chunk[4096];
      ssize_t n = ::read(fds[i].fd, chunk, sizeof chunk);
      if (n <= 0) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      } else {
        texts[i]->append(chunk, static_cast<std::size_t>(n));
      }
    }
    serving = outcome.out.find("listening on") != std::string::npos;
  }
  for (auto& fd : fds)
    if (fd.fd >= 0) ::close(fd.fd);
  if (serving || open > 0) ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!serving && open == 0 && WIFEXITED(status)) outcome.exit_code = WEXITSTATUS(status);
  return outcome;
}

}  // namespace agdf::testing
