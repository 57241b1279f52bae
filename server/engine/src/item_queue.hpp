#pragma once
// A node's bounded FIFO input queue. Producers wait for space (back-pressure),
// consumers wait for items; close() marks the end and wakes everyone.

#include <cstddef>
#include <deque>

#include "agdf/nodes/item.hpp"
#include "wait_list.hpp"

namespace agdf::engine::detail {

class ItemQueue {
 public:
  ItemQueue(const boost::asio::any_io_executor& executor, std::size_t capacity)
      : capacity_(capacity), space_waiters_(executor), item_waiters_(executor) {}

  bool empty() const noexcept { return items_.empty(); }
  bool full() const noexcept { return items_.size() >= capacity_; }
  bool closed() const noexcept { return closed_; }
  std::size_t size() const noexcept { return items_.size(); }

  /// Appends an item; the caller has checked !full().
  void push(Item item) {
    items_.push_back(std::move(item));
    item_waiters_.wake_one();
  }

  /// Removes the oldest item; the caller has checked !empty().
  Item pop() {
    Item item = std::move(items_.front());
    items_.pop_front();
    space_waiters_.wake_one();
    return item;
  }

  /// Waits until an item may have arrived or the queue closed; callers re-check.
  auto wait_for_item() { return item_waiters_.wait(); }

  /// Waits until space may have freed or the queue closed; callers re-check.
  auto wait_for_space() { return space_waiters_.wait(); }

  /// Wakes every producer waiting for space, for queues whose space is not only a
  /// matter of this queue's length (a zip's per-source buffers).
  void space_changed() { space_waiters_.wake_all(); }

  /// Ends the queue: drops what it holds and wakes every waiter.
  std::size_t close() {
    closed_ = true;
    std::size_t dropped = items_.size();
    items_.clear();
    space_waiters_.wake_all();
    item_waiters_.wake_all();
    return dropped;
  }

 private:
  std::size_t capacity_;
  bool closed_ = false;
  std::deque<Item> items_;
  WaitList space_waiters_;
  WaitList item_waiters_;
};

}  // namespace agdf::engine::detail
