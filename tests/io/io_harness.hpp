#pragma once
// Runs graphs the way the daemon does, in-process: validated against the built-in
// registry with a data directory, run by a real Engine on its own threads, with what the
// observer saw kept for assertions.

#include <chrono>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "agdf/engine/engine.hpp"
#include "agdf/engine/run_result.hpp"
#include "agdf/engine/validate.hpp"

namespace agdf::io_test {

/// A safety net only: a run that has not finished by then fails the test instead of hanging.
inline constexpr std::chrono::seconds kRunTimeout{60};

/// A fresh directory under the system's temp directory, removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const noexcept { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

/// What a finished run reported.
struct GraphRun {
  engine::RunResult result;
  std::vector<std::pair<std::string, std::string>> logs;
  std::vector<std::pair<std::string, Item>> outputs;

  const engine::NodeReport& node(std::string_view name) const;
  engine::NodeStats stats(std::string_view name) const { return node(name).stats; }
  /// The items node `name` yielded (it must be captured).
  std::vector<Item> outputs_of(std::string_view name) const;
  /// The run's log lines attributed to `name`.
  std::vector<std::string> logs_of(std::string_view name) const;
};

/// A run in progress, for tests that act while it runs (cancel it).
class RunningGraph {
 public:
  virtual ~RunningGraph() = default;
  virtual void cancel() = 0;
  /// Waits for the end (kRunTimeout at most; then the test fails).
  virtual GraphRun wait() = 0;
};

class IoEngine {
 public:
  /// `blocking_threads` is the pool file work is offloaded to.
  explicit IoEngine(unsigned blocking_threads = 4);
  ~IoEngine();

  /// The problems of `graph` (the file format, as JSON), each as "where: message".
  std::vector<std::string> problems(const Json& graph, const std::filesystem::path& data_dir);

  /// The validated plan of `graph`; the graph must be valid.
  std::shared_ptr<const engine::Plan> plan(const Json& graph,
                                           const std::filesystem::path& data_dir);

  /// Starts a validated plan (in the data directory it was validated for).
  std::unique_ptr<RunningGraph> start(std::shared_ptr<const engine::Plan> plan,
                                      std::vector<std::string> capture = {});

  /// Validates and starts `graph`; the graph must be valid.
  std::unique_ptr<RunningGraph> start(const Json& graph, const std::filesystem::path& data_dir,
                                      std::vector<std::string> capture = {});

  /// Validates and runs `graph` to the end; the graph must be valid.
  GraphRun run(const Json& graph, const std::filesystem::path& data_dir,
               std::vector<std::string> capture = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// A graph's "edges": [[from, to], ...]. (Pairs in braces would make a JSON object.)
inline Json edges(std::initializer_list<std::pair<const char*, const char*>> pairs) {
  Json list = Json::array();
  for (const auto& [from, to] : pairs) list.push_back(Json::array({from, to}));
  return list;
}

/// The whole content of a file; empty when it does not exist.
std::string read_file(const std::filesystem::path& path);

/// Writes `content` to `path`, replacing it.
void write_file(const std::filesystem::path& path, std::string_view content);

}  // namespace agdf::io_test
