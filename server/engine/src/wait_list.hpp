#pragma once
// Calls parked until something of the same run lets them go on: a list linked through the
// parked calls themselves (they live in their coroutine frames), so parking allocates
// nothing. Used only on the run's strand.
//
// A parked call can be cancelled (a call's timeout): the cancellation unlinks it and hands
// it to `on_cancel`, which resumes it with an error.

#include <cstddef>
#include <functional>

#include <boost/asio/cancellation_type.hpp>

#include "agdf/nodes/parked.hpp"

namespace agdf::engine::detail {

class WaitList {
 public:
  WaitList() = default;
  WaitList(const WaitList&) = delete;
  WaitList& operator=(const WaitList&) = delete;

  bool empty() const noexcept { return head_ == nullptr; }
  std::size_t size() const noexcept { return size_; }
  Parked* front() const noexcept { return head_; }

  /// Links `call` at the back. When its cancellation slot fires before it is taken out,
  /// it is unlinked and `on_cancel(call)` runs.
  template <typename OnCancel>
  void park(Parked& call, OnCancel on_cancel) {
    call.prev = tail_;
    call.next = nullptr;
    (tail_ ? tail_->next : head_) = &call;
    tail_ = &call;
    ++size_;
    auto& slot = call.resume.cancellation_slot();
    if (slot.is_connected())
      slot.assign([this, &call, on_cancel](boost::asio::cancellation_type) mutable {
        unlink(call);
        on_cancel(call);
      });
  }

  /// Takes `call` out (it must be in this list) and detaches its cancellation handler.
  void remove(Parked& call) {
    if (auto& slot = call.resume.cancellation_slot(); slot.is_connected()) slot.clear();
    unlink(call);
  }

  /// Takes out the longest-waiting call; the list must not be empty.
  Parked& pop_front() {
    Parked& call = *head_;
    remove(call);
    return call;
  }

 private:
  void unlink(Parked& call) noexcept {
    (call.prev ? call.prev->next : head_) = call.next;
    (call.next ? call.next->prev : tail_) = call.prev;
    call.prev = call.next = nullptr;
    --size_;
  }

  Parked* head_ = nullptr;
  Parked* tail_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace agdf::engine::detail
