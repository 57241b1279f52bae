#pragma once
// The NodeContext a node function sees. One per task, so per-call state lives here:
// how many items this call yielded, and how many a retried call should not forward
// again because an earlier attempt already did.

#include <cstddef>

#include "agdf/nodes/node_context.hpp"

namespace agdf::engine::detail {

class Run;
class NodeState;

class TaskContext final : public NodeContext {
 public:
  TaskContext(Run& run, NodeState& node) : run_(run), node_(node) {}

  boost::asio::awaitable<void> emit(Item item) override;
  void log(std::string line) override;
  const std::string& node_name() const noexcept override;
  boost::asio::any_io_executor executor() const override;
  boost::asio::any_io_executor blocking_executor() const override;
  const std::filesystem::path& data_dir() const noexcept override;

  NodeState& node() const noexcept { return node_; }

  /// A new call starts.
  void begin_call() noexcept { emitted_ = replay_ = 0; }
  /// A retry of the same call starts: its first yields repeat what was forwarded.
  void begin_retry() noexcept {
    if (emitted_ > replay_) replay_ = emitted_;
    emitted_ = 0;
  }
  /// Counts a yield; true when an earlier attempt already forwarded it.
  bool is_replay() noexcept { return emitted_++ < replay_; }

 protected:
  std::shared_ptr<void>& run_resource_slot(const std::string& key) override;

 private:
  Run& run_;
  NodeState& node_;
  std::size_t emitted_ = 0;
  std::size_t replay_ = 0;
};

}  // namespace agdf::engine::detail
