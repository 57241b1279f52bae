#pragma once
// A node during one run: its queue (and the queue kind shaping it), counters, error
// records, and how much work it still has.

#include <deque>
#include <memory>
#include <optional>

#include <boost/asio/steady_timer.hpp>

#include "agdf/engine/plan.hpp"
#include "agdf/engine/run_result.hpp"
#include "item_queue.hpp"

namespace agdf::engine::detail {

class Run;

class NodeState final : public QueueSink {
 public:
  NodeState(Run& run, const PlannedNode& planned, const boost::asio::any_io_executor& executor);

  const PlannedNode& plan;
  ItemQueue queue;                        // entries ready for the node's tasks
  std::unique_ptr<QueueBehaviour> shape;  // null: plain FIFO
  NodeStats stats;
  std::uint64_t dropped = 0;  // items a queue kind discarded
  std::deque<ErrorRecord> errors;
  std::uint64_t active_calls = 0;
  bool capture = false;
  bool conditional = false;  // some outgoing edge has a `when`

  /// Items in this node's care: held by its queue kind, ready, or being processed,
  /// plus its running start calls. Zero and sources_done means it is finished.
  std::uint64_t work = 0;
  bool sources_done = false;  // no source can send anything any more
  bool finished = false;      // this node will never emit again

  /// Whether an item from `slot` may enter now (back-pressure).
  bool accepts(std::size_t slot) const {
    return shape ? shape->accepts(slot, *this, capacity()) : !queue.full();
  }
  /// An item enters from `slot` (a source's index, or kNoSource).
  void push(std::size_t slot, Item item);
  /// Takes the next ready entry; the caller has checked !queue.empty().
  Item pop();

  std::size_t capacity() const noexcept { return static_cast<std::size_t>(plan.spec.queue_size); }
  void cancel_timer();

  // QueueSink
  void deliver(Item entry, std::size_t items_used) override;
  void drop(std::size_t items, const std::string& why) override;
  void space_freed() override { queue.space_changed(); }
  std::size_t ready() const override { return queue.size(); }
  void wake_after(std::chrono::milliseconds after) override;

 private:
  Run& run_;
  std::optional<boost::asio::steady_timer> timer_;  // made on first wake_after()
};

}  // namespace agdf::engine::detail
