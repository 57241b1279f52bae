#include "node_state.hpp"

#include "scheduler.hpp"
#include "work_ledger.hpp"

namespace agdf::engine::detail {

NodeState::NodeState(std::size_t index, const PlannedNode& plan, WorkLedger& work,
                     Scheduler& scheduler, NodeHost& host, boost::asio::any_io_executor executor)
    : index_(index),
      plan_(plan),
      capacity_(static_cast<std::size_t>(plan.spec.queue_size)),
      max_consumers_(static_cast<std::size_t>(plan.spec.max_tasks)),
      work_(work),
      scheduler_(scheduler),
      host_(host),
      executor_(std::move(executor)),
      shape_(plan.queue.make ? plan.queue.make() : nullptr) {
  for (const PlannedEdge& edge : plan.out) conditional_ = conditional_ || edge.when.has_value();
}

// ---- the queue ---------------------------------------------------------------------

void NodeState::wait_for_room(std::size_t slot, Emission& emission) {
  emission.slot = slot;
  full_.park(emission, [this](Parked& call) {
    call.error =
        std::make_exception_ptr(boost::system::system_error(boost::asio::error::operation_aborted));
    scheduler_.ready(call);
  });
}

void NodeState::enter(std::size_t slot, Item&& item) {
  work_.add(index_);
  if (shape_)
    shape_->push(slot, std::move(item), *this);
  else
    add_entry(std::move(item));
}

void NodeState::add_entry(Item&& entry) {
  ready_.push_back(std::move(entry));
  if (!idle_consumers_.empty()) {
    scheduler_.ready(idle_consumers_.pop_front());
  } else if (consumers_ < max_consumers_) {
    ++consumers_;
    host_.start_consumer(index_);
  }
}

void NodeState::pop_into(Item& out) {
  out.swap(ready_.front());
  ready_.drop_front();
  if (!full_.empty()) let_in();
}

void NodeState::let_in() {
  // A queue kind may free room while an item enters (a zip completing a tuple): then the
  // outer call looks again rather than this one walking a list it is changing.
  if (letting_in_) {
    look_again_ = true;
    return;
  }
  letting_in_ = true;
  do {
    look_again_ = false;
    // A FIFO has one kind of room; a queue kind may have room for one source, not another.
    for (Parked* call = full_.front(); call != nullptr && !closed_ && !look_again_;) {
      auto& emission = static_cast<Emission&>(*call);
      call = call->next;
      if (!has_room(emission.slot)) {
        if (!shape_) break;
        continue;
      }
      full_.remove(emission);
      host_.continue_emission(emission);  // puts the item in, then serves the other edges
    }
  } while (look_again_ && !closed_);
  letting_in_ = false;
}

void NodeState::wait_for_entry(Parked& consumer) {
  idle_consumers_.park(consumer, [this](Parked& call) { scheduler_.ready(call); });
}

void NodeState::close(std::exception_ptr error) {
  closed_ = true;
  ready_.clear();
  while (!idle_consumers_.empty()) scheduler_.ready(idle_consumers_.pop_front());
  while (!full_.empty()) {
    Parked& call = full_.pop_front();
    call.error = error;
    scheduler_.ready(call);
  }
}

// ---- reporting ---------------------------------------------------------------------

void NodeState::record_error(ErrorRecord error, std::size_t keep) {
  ++stats.err;
  errors_.push_back(std::move(error));
  if (errors_.size() > keep) errors_.pop_front();
}

// ---- QueueSink ---------------------------------------------------------------------

void NodeState::deliver(Item entry, std::size_t items_used) {
  work_.add(index_);
  add_entry(std::move(entry));
  work_.done(index_, items_used);
}

void NodeState::drop(std::size_t items, const std::string& why) {
  dropped_ += items;
  host_.log(index_, why);
  work_.done(index_, items);
}

void NodeState::wake_after(std::chrono::milliseconds after) {
  if (!timer_) timer_.emplace(executor_);
  timer_->expires_after(after);
  timer_->async_wait([this, keep = host_.keep_alive()](boost::system::error_code ec) {
    if (!ec && !closed_ && shape_) shape_->on_timer(*this);
  });
}

void NodeState::cancel_timer() {
  if (timer_) timer_->cancel();
}

}  // namespace agdf::engine::detail
