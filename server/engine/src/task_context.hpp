#pragma once
// The NodeContext a node function sees. One per task, so per-call state lives here:
// how many items this call yielded, and how many a retried call should not forward
// again because an earlier attempt already did.

#include <cstddef>

#include "agdf/nodes/node_context.hpp"
#include "call_environment.hpp"

namespace agdf::engine::detail {

/// Thrown where a call yields once the run halts or is cancelled: it ends the call quietly.
struct RunStopping {};

class TaskContext final : public NodeContext {
 public:
  TaskContext(CallEnvironment& run, NodeState& node) : run_(run), node_(node) {}

  void log(std::string line) override;
  const std::string& node_name() const noexcept override;
  boost::asio::any_io_executor executor() const override { return run_.executor; }
  boost::asio::any_io_executor blocking_executor() const override { return run_.blocking; }
  const std::filesystem::path& data_dir() const noexcept override { return run_.data_dir; }

  NodeState& node() const noexcept { return node_; }

  /// A new call starts.
  void begin_call() noexcept { emitted_ = replay_ = 0; }
  /// A retry of the same call starts: its first yields repeat what was forwarded.
  void begin_retry() noexcept {
    if (emitted_ > replay_) replay_ = emitted_;
    emitted_ = 0;
  }

 protected:
  void start_emit(Emission& emission) override;
  std::shared_ptr<void>& run_resource_slot(const std::string& key) override {
    return run_.resources[key];
  }

 private:
  CallEnvironment& run_;
  NodeState& node_;
  std::size_t emitted_ = 0;
  std::size_t replay_ = 0;
};

}  // namespace agdf::engine::detail
