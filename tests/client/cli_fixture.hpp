#pragma once
/// What the end-to-end tests of the `agdf` binary share: one real agdf-server per test
/// process, a way to run `agdf` against it, its JSON lines, and temporary graph files.

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "client/server_process.hpp"
#include "support/child_process.hpp"

namespace agdf::client::testing {

using ::agdf::testing::ChildOptions;
using ::agdf::testing::ChildProcess;
using ::agdf::testing::Finished;
using ::agdf::testing::run_to_end;
using nlohmann::json;

/// Every `agdf` call of a test ends within this (a safety net, not a speed check).
inline constexpr auto kCliTimeout = std::chrono::seconds(60);

/// The daemon the tests of this process share, started on first use.
ServerProcess& shared_server();

/// `agdf --server <shared server> ARGS...`, run to its end.
Finished agdf(const std::vector<std::string>& args);

/// `agdf ARGS...` with no --server added.
Finished agdf_raw(const std::vector<std::string>& args, const ChildOptions& options = {});

/// The argv of `agdf --server ADDRESS ARGS...`, for a test that drives the process itself.
std::vector<std::string> agdf_command(const std::string& address,
                                      const std::vector<std::string>& args);

/// Each stdout line parsed as JSON (a line that is not JSON fails the test).
std::vector<json> json_lines(const Finished& result);

/// A path under examples/.
std::string example(const std::string& file);

/// Writes `text` to a fresh file and removes it when the test ends.
class TempGraph {
 public:
  explicit TempGraph(const std::string& text);
  ~TempGraph();
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path dir_;
  std::filesystem::path path_;
};

/// Checks the event lines of one run: seq 1, 2, ... without gaps or repeats, one run id,
/// `started` first and `finished` last.
void expect_complete_event_stream(const std::vector<json>& events);

/// A label value no other test (or earlier test process) uses.
std::string unique_label(const std::string& test_name);

}  // namespace agdf::client::testing
