#pragma once
/// How a run tells the outside world what happens. Every call comes from the run's
/// strand, in order; an observer must not block (copy what it needs and return). A run
/// has any number of observers (the event log, metrics, a store), which know nothing of
/// each other.

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

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

/// Several observers as one: every call goes to each, in the order they were added.
class ObserverList final : public RunObserver {
 public:
  void add(std::shared_ptr<RunObserver> observer) { observers_.push_back(std::move(observer)); }
  bool empty() const noexcept { return observers_.empty(); }

  void on_started(std::span<const StartCall> starts) override {
    for (auto& o : observers_) o->on_started(starts);
  }
  void on_stats(std::span<const NodeSnapshot> nodes) override {
    for (auto& o : observers_) o->on_stats(nodes);
  }
  void on_node_error(const std::string& node, const ErrorRecord& error) override {
    for (auto& o : observers_) o->on_node_error(node, error);
  }
  void on_retry(const std::string& node, std::int64_t attempt, const ErrorRecord& error,
                std::chrono::milliseconds delay) override {
    for (auto& o : observers_) o->on_retry(node, attempt, error, delay);
  }
  void on_log(const std::string& node, const std::string& line) override {
    for (auto& o : observers_) o->on_log(node, line);
  }
  void on_output(const std::string& node, const Item& item) override {
    for (auto& o : observers_) o->on_output(node, item);
  }
  void on_finished(const RunResult& result) override {
    for (auto& o : observers_) o->on_finished(result);
  }

 private:
  std::vector<std::shared_ptr<RunObserver>> observers_;
};

}  // namespace agdf::engine
