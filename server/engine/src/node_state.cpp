#include "node_state.hpp"

#include "run.hpp"

namespace agdf::engine::detail {

NodeState::NodeState(Run& run, const PlannedNode& planned,
                     const boost::asio::any_io_executor& executor)
    : plan(planned),
      queue(executor, static_cast<std::size_t>(planned.spec.queue_size)),
      shape(planned.queue.make ? planned.queue.make() : nullptr),
      sources_done(planned.sources.empty()),
      run_(run) {
  for (const PlannedEdge& edge : planned.out) conditional = conditional || edge.when.has_value();
}

void NodeState::push(std::size_t slot, Item item) {
  run_.work_added(*this, 1);
  if (shape)
    shape->push(slot, std::move(item), *this);
  else
    queue.push(std::move(item));
}

Item NodeState::pop() {
  Item entry = queue.pop();
  // A queue kind may keep producers waiting for reasons of its own; let all look again.
  if (shape) queue.space_changed();
  return entry;
}

void NodeState::deliver(Item entry, std::size_t items_used) {
  run_.work_added(*this, 1);
  queue.push(std::move(entry));
  run_.work_done(*this, items_used);
}

void NodeState::drop(std::size_t items, const std::string& why) {
  dropped += items;
  run_.observer_->on_log(plan.spec.name, why);
  run_.work_done(*this, items);
}

void NodeState::wake_after(std::chrono::milliseconds after) {
  if (!timer_) timer_.emplace(run_.executor_);
  timer_->expires_after(after);
  timer_->async_wait([this, run = run_.shared_from_this()](boost::system::error_code ec) {
    if (!ec && !run->stopping_ && shape) shape->on_timer(*this);
  });
}

void NodeState::cancel_timer() {
  if (timer_) timer_->cancel();
}

}  // namespace agdf::engine::detail
