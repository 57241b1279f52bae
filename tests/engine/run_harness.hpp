#pragma once
// Drives the engine the way a test needs it: a graph in the file format, validated
// against a registry, run to the end on an io_context the test owns, with every event
// the observer saw kept for assertions.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "agdf/engine/engine.hpp"
#include "agdf/engine/plan.hpp"
#include "agdf/engine/run_observer.hpp"
#include "agdf/engine/run_options.hpp"
#include "agdf/engine/run_result.hpp"
#include "agdf/nodes/registry.hpp"

namespace agdf::engine {

/// Lets GoogleTest show counts as "in=2, out=2, err=0" when an assertion fails.
inline void PrintTo(const NodeStats& s, std::ostream* os) {
  *os << "in=" << s.in << ", out=" << s.out << ", err=" << s.err;
}

}  // namespace agdf::engine

namespace agdf::test {

/// A safety net only: a run that has not finished by then is a failed test, not a hang.
inline constexpr std::chrono::seconds kRunTimeout{20};

/// Everything a run reported, in the order it was reported.
struct Recording {
  std::vector<engine::StartCall> started;
  std::vector<std::vector<engine::NodeSnapshot>> snapshots;
  std::vector<std::pair<std::string, engine::ErrorRecord>> errors;
  std::vector<std::pair<std::string, std::string>> logs;
  std::vector<std::pair<std::string, Item>> outputs;
  /// Failed attempts a retry policy will try again: (node, attempt number, error).
  std::vector<std::tuple<std::string, std::int64_t, engine::ErrorRecord>> retries;
  std::optional<engine::RunResult> result;
  int finished_calls = 0;

  /// The final report of `name`; throws when the run has no such node or did not finish.
  const engine::NodeReport& node(std::string_view name) const;
  engine::NodeStats stats(std::string_view name) const { return node(name).stats; }
  engine::RunStatus status() const;
  /// The log lines attributed to `name`, in order.
  std::vector<std::string> logs_of(std::string_view name) const;
};

/// Records every event; optional hooks let a test react (e.g. cancel) from the strand.
class RecordingObserver final : public engine::RunObserver {
 public:
  std::function<void(std::span<const engine::NodeSnapshot>)> on_stats_hook;
  std::function<void(const engine::RunResult&)> on_finished_hook;

  void on_started(std::span<const engine::StartCall> starts) override;
  void on_stats(std::span<const engine::NodeSnapshot> nodes) override;
  void on_node_error(const std::string& node, const engine::ErrorRecord& error) override;
  void on_log(const std::string& node, const std::string& line) override;
  void on_output(const std::string& node, const Item& item) override;
  void on_retry(const std::string& node, std::int64_t attempt, const engine::ErrorRecord& error,
                std::chrono::milliseconds delay) override;
  void on_finished(const engine::RunResult& result) override;

  const Recording& recording() const { return recording_; }

 private:
  Recording recording_;
};

/// A registry holding the built-in functions; tests add their own to it.
Registry builtin_registry();

/// The problems validation finds in `graph_json`, as "where: message" strings.
std::vector<std::string> problems_of(std::string_view graph_json, const Registry& registry);

/// The plan of a valid graph; throws (failing the test) listing the problems otherwise.
std::shared_ptr<const engine::Plan> plan_of(std::string_view graph_json, const Registry& registry);

/// Runs `plan` on a fresh single-threaded io_context until the run finishes.
Recording run_plan(std::shared_ptr<const engine::Plan> plan, engine::RunOptions options,
                   std::shared_ptr<RecordingObserver> observer = nullptr);
Recording run_plan(std::shared_ptr<const engine::Plan> plan);

/// plan_of + run_plan.
Recording run_graph(std::string_view graph_json, const Registry& registry,
                    engine::RunOptions options);
Recording run_graph(std::string_view graph_json, const Registry& registry);

/// Runs a graph of built-in functions only.
Recording run_graph(std::string_view graph_json, engine::RunOptions options);
Recording run_graph(std::string_view graph_json);

}  // namespace agdf::test
