#include "server/startup_failure.hpp"

#include <algorithm>
#include <chrono>

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

  ChildProcess child(command);
  const auto deadline = std::chrono::steady_clock::now() + kTimeout;
  StartupOutcome outcome;
  bool serving = false;
  while (!serving) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    auto line = child.read_line(std::max(left, std::chrono::milliseconds(0)));
    if (!line) break;
    outcome.out += *line + "\n";
    serving = line->find("listening on") != std::string::npos;
  }
  if (serving) {  // exit code -1; the destructor kills it
    outcome.err = child.stderr_text();
    return outcome;
  }
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  Finished finished = child.finish(std::max(left, std::chrono::milliseconds(0)));
  finished.out.insert(0, outcome.out);
  return finished;
}

}  // namespace agdf::testing
