#pragma once
// Coroutines parked until another coroutine of the same run wakes them. Used only on
// the run's strand, so it needs no lock. A parked coroutine can be cancelled (a call's
// timeout, a run's stop): it then resumes with operation_aborted.

#include <cstdint>
#include <list>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace agdf::engine::detail {

class WaitList {
 public:
  explicit WaitList(boost::asio::any_io_executor executor) : executor_(std::move(executor)) {}

  /// Suspends the calling coroutine until wake_one()/wake_all() picks it; throws
  /// operation_aborted if the coroutine is cancelled while parked.
  auto wait() {
    return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&,
                                       void(boost::system::error_code)>(
        [this](auto handler) { park(std::move(handler)); }, boost::asio::use_awaitable);
  }

  bool empty() const noexcept { return waiters_.empty(); }

  /// Resumes the longest-waiting coroutine (later, through the strand), if any.
  void wake_one() {
    if (waiters_.empty()) return;
    resume(waiters_.begin(), {});
  }

  void wake_all() {
    while (!waiters_.empty()) wake_one();
  }

 private:
  using Handler = boost::asio::any_completion_handler<void(boost::system::error_code)>;

  struct Waiter {
    std::uint64_t id;
    Handler handler;
    boost::asio::cancellation_slot slot;
  };

  void park(Handler handler) {
    const std::uint64_t id = next_id_++;
    auto slot = boost::asio::get_associated_cancellation_slot(handler);
    waiters_.push_back({id, std::move(handler), slot});
    if (slot.is_connected()) {
      // Looked up by id: the waiter may be gone by the time a cancellation arrives.
      slot.assign([this, id](boost::asio::cancellation_type) {
        for (auto it = waiters_.begin(); it != waiters_.end(); ++it)
          if (it->id == id) return resume(it, boost::asio::error::operation_aborted, false);
      });
    }
  }

  void resume(std::list<Waiter>::iterator it, boost::system::error_code ec,
              bool clear_slot = true) {
    // A slot must not be cleared from inside its own handler, which is where a
    // cancellation calls us from.
    if (clear_slot && it->slot.is_connected()) it->slot.clear();
    boost::asio::post(executor_, [h = std::move(it->handler), ec]() mutable { std::move(h)(ec); });
    waiters_.erase(it);
  }

  boost::asio::any_io_executor executor_;
  std::list<Waiter> waiters_;
  std::uint64_t next_id_ = 0;
};

}  // namespace agdf::engine::detail
