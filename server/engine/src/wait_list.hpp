#pragma once
// Coroutines parked until another coroutine of the same run wakes them. Used only on
// the run's strand, so it needs no lock.

#include <deque>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace agdf::engine::detail {

class WaitList {
 public:
  explicit WaitList(boost::asio::any_io_executor executor) : executor_(std::move(executor)) {}

  /// Suspends the calling coroutine until wake_one() or wake_all() picks it.
  auto wait() {
    return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void()>(
        [this](auto handler) { waiters_.emplace_back(std::move(handler)); },
        boost::asio::use_awaitable);
  }

  bool empty() const noexcept { return waiters_.empty(); }

  /// Resumes the longest-waiting coroutine (later, through the strand), if any.
  void wake_one() {
    if (waiters_.empty()) return;
    boost::asio::post(executor_, std::move(waiters_.front()));
    waiters_.pop_front();
  }

  void wake_all() {
    while (!waiters_.empty()) wake_one();
  }

 private:
  boost::asio::any_io_executor executor_;
  std::deque<boost::asio::any_completion_handler<void()>> waiters_;
};

}  // namespace agdf::engine::detail
