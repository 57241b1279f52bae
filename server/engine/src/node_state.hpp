#pragma once
// A node during one run: its input queue (shaped by its queue kind, if any), the calls
// parked on it, its counters and error records.
//
// The queue is where producers and consumers meet. A producer's item enters through
// put(); when there is no room the emission parks here, and is let in as soon as a
// consumer takes an entry out. A consumer takes entries with pop(), and parks here when
// there are none. Consumer tasks are started on demand, up to max_tasks: an unused
// max_tasks costs nothing.

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "agdf/engine/plan.hpp"
#include "agdf/engine/run_result.hpp"
#include "agdf/nodes/emit.hpp"
#include "ring.hpp"
#include "wait_list.hpp"

namespace agdf::engine::detail {

class Scheduler;
class WorkLedger;

/// What a node asks of its run beyond counting work and resuming calls.
class NodeHost {
 public:
  virtual ~NodeHost() = default;
  /// An emission parked on `node` was let in: go on delivering it to its other destinations.
  virtual void continue_emission(Emission& emission) = 0;
  /// `node` has entries and no idle consumer: start one more consumer task.
  virtual void start_consumer(std::size_t node) = 0;
  /// A line for the run's log (the queue kind dropped items).
  virtual void log(std::size_t node, const std::string& line) = 0;
  /// Keeps the run alive while held (by a timer's callback).
  virtual std::shared_ptr<void> keep_alive() = 0;
};

class NodeState final : public QueueSink {
 public:
  NodeState(std::size_t index, const PlannedNode& plan, WorkLedger& work, Scheduler& scheduler,
            NodeHost& host, boost::asio::any_io_executor executor);

  std::size_t index() const noexcept { return index_; }
  const PlannedNode& plan() const noexcept { return plan_; }
  const std::string& name() const noexcept { return plan_.spec.name; }

  // ---- the queue -------------------------------------------------------------------
  /// Whether an item from source `slot` fits now (back-pressure).
  bool has_room(std::size_t slot) const {
    return shape_ ? shape_->accepts(slot, *this, capacity_) : ready_.size() < capacity_;
  }
  /// Puts an item from source `slot` in; has_room(slot) must be true.
  void put(std::size_t slot, Item&& item) { enter(slot, std::move(item)); }
  /// Parks `emission` until an item from `slot` fits; then the host continues it.
  void wait_for_room(std::size_t slot, Emission& emission);
  /// Puts an item in without asking (preloaded items, before any task runs).
  void preload(Item item) { enter(kNoSource, std::move(item)); }

  bool has_entry() const noexcept { return !ready_.empty(); }
  /// Swaps the next entry into `out` (what `out` held is dropped); has_entry() must be
  /// true. Lets parked emissions in.
  void pop_into(Item& out);
  /// Parks a consumer until an entry arrives or the queue closes.
  void wait_for_entry(Parked& consumer);
  bool closed() const noexcept { return closed_; }
  /// The run is ending: drops entries, wakes every parked call (emissions with `error`).
  void close(std::exception_ptr error);

  // ---- what is reported --------------------------------------------------------------
  NodeStats stats;
  std::uint64_t active_calls = 0;
  bool capture = false;
  void record_error(ErrorRecord error, std::size_t keep);
  const std::deque<ErrorRecord>& errors() const noexcept { return errors_; }
  std::uint64_t dropped() const noexcept { return dropped_; }
  std::size_t queued() const noexcept { return ready_.size(); }
  bool conditional() const noexcept { return conditional_; }

  /// Every source finished: tells the queue kind (a batch flushes).
  void sources_finished() {
    if (shape_) shape_->sources_finished(*this);
  }
  void cancel_timer();

  // ---- QueueSink: what the queue kind does to this queue -------------------------------
  void deliver(Item entry, std::size_t items_used) override;
  void drop(std::size_t items, const std::string& why) override;
  void space_freed() override { let_in(); }
  std::size_t ready() const override { return ready_.size(); }
  void wake_after(std::chrono::milliseconds after) override;

 private:
  void enter(std::size_t slot, Item&& item);
  void add_entry(Item&& entry);
  /// Lets parked emissions in while they fit.
  void let_in();

  const std::size_t index_;
  const PlannedNode& plan_;
  const std::size_t capacity_;
  const std::size_t max_consumers_;
  WorkLedger& work_;
  Scheduler& scheduler_;
  NodeHost& host_;
  boost::asio::any_io_executor executor_;
  std::unique_ptr<QueueBehaviour> shape_;  // null: plain FIFO

  Ring<Item> ready_;         // entries ready for consumers
  WaitList idle_consumers_;  // consumers waiting for an entry
  WaitList full_;            // emissions waiting for room
  std::size_t consumers_ = 0;
  bool closed_ = false;
  bool conditional_ = false;
  bool letting_in_ = false;
  bool look_again_ = false;

  std::deque<ErrorRecord> errors_;
  std::uint64_t dropped_ = 0;
  std::optional<boost::asio::steady_timer> timer_;  // made on first wake_after()
};

}  // namespace agdf::engine::detail
