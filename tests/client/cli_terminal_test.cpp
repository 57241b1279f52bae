// On a terminal, `agdf run` draws a live table in place, then a summary (a real pty).
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client/cli_fixture.hpp"

namespace agdf::client::testing {
namespace {

struct TerminalRun {
  std::string screen;
  int exit_code = -1;
};

/// Runs `agdf --server ADDRESS ARGS...` with its stdout on a pseudo-terminal.
TerminalRun run_on_terminal(const std::vector<std::string>& args) {
  std::vector<std::string> argv = agdf_command(shared_server().address(), args);
  std::vector<char*> c_argv;
  for (auto& a : argv) c_argv.push_back(a.data());
  c_argv.push_back(nullptr);
  int master = -1;
  const pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
  if (pid == 0) {
    execv(c_argv[0], c_argv.data());
    _exit(127);
  }
  TerminalRun run;
  const auto deadline = std::chrono::steady_clock::now() + kCliTimeout;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{master, POLLIN, 0};
    if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0) {
      kill(pid, SIGKILL);
      break;
    }
    char buffer[4096];
    const ssize_t n = read(master, buffer, sizeof buffer);
    if (n <= 0) break;  // EIO: the child closed the terminal
    run.screen.append(buffer, static_cast<std::size_t>(n));
  }
  int status = 0;
  waitpid(pid, &status, 0);
  close(master);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

TEST(AgdfTerminal, RunRedrawsTheTableInPlaceThenPrintsASummary) {
  const auto run = run_on_terminal({"run", example("halt_at_node.json")});
  EXPECT_EQ(run.exit_code, 3) << run.screen;
  // The table is redrawn by moving the cursor up over it and clearing below.
  EXPECT_NE(run.screen.find("F\x1b[J"), std::string::npos) << run.screen;
  EXPECT_NE(run.screen.find("node       state"), std::string::npos) << run.screen;
  EXPECT_NE(run.screen.find("halted: 4 nodes, in=12, out=14, err=1"), std::string::npos)
      << run.screen;
  EXPECT_NE(run.screen.find("errors in load:"), std::string::npos) << run.screen;
  EXPECT_NE(run.screen.find("ValueError: intentional error for Data3"), std::string::npos);
  EXPECT_EQ(run.screen.find("\"type\""), std::string::npos) << "no JSON on a terminal";
}

TEST(AgdfTerminal, JsonWinsOverTheTerminal) {
  const auto run = run_on_terminal({"--json", "run", example("three_nodes.json")});
  EXPECT_EQ(run.exit_code, 0) << run.screen;
  EXPECT_EQ(run.screen.find("\x1b["), std::string::npos) << run.screen;
  EXPECT_NE(run.screen.find("\"type\":\"finished\""), std::string::npos) << run.screen;
}

}  // namespace
}  // namespace agdf::client::testing
