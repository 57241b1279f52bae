#pragma once
/// How a run tells the outside world what happens. Every call comes from the run's
/// strand, in order; an observer must not block (copy what it needs and return).

#include <chrono>
#include <cstdint>
#include <span>
#include <string>

#include "agdf/engine/run_result.hpp"
#include "agdf/nodes/item.hpp"

namespace agdf::engine {

class RunObserver {
 public:
  virtual ~RunObserver() = default;

  /// The run began; `starts` are the resolved start nodes with their arguments.
  virtual void on_started(std::span<const StartCall> starts) { (void)starts; }

  /// A periodic snapshot of every node (only sent when something changed).
  virtual void on_stats(std::span<const NodeSnapshot> nodes) { (void)nodes; }

  /// A call of `node` raised an error (already counted in `err`).
  virtual void on_node_error(const std::string& node, const ErrorRecord& error) {
    (void)node, (void)error;
  }

  /// A call of `node` failed and will be tried again after `delay` (retry policy);
  /// `attempt` is the number of the attempt that failed. Not counted in `err`.
  virtual void on_retry(const std::string& node, std::int64_t attempt, const ErrorRecord& error,
                        std::chrono::milliseconds delay) {
    (void)node, (void)attempt, (void)error, (void)delay;
  }

  /// A log line: from a node function's ctx.log(), or a data-flow log line.
  virtual void on_log(const std::string& node, const std::string& line) { (void)node, (void)line; }

  /// An item yielded by a node whose outputs the run captures.
  virtual void on_output(const std::string& node, const Item& item) { (void)node, (void)item; }

  /// The run ended; nothing else follows.
  virtual void on_finished(const RunResult& result) { (void)result; }
};

}  // namespace agdf::engine
