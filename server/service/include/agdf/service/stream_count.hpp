#pragma once
/// How many streams (or calls) of a kind are open, so shutdown can wait for them to end on
/// their own before it cuts the rest. Thread-safe.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace agdf::service {

class StreamCount {
 public:
  void opened() {
    std::lock_guard lock(mutex_);
    ++open_;
  }
  void closed() {
    std::lock_guard lock(mutex_);
    if (--open_ == 0) none_open_.notify_all();
  }
  /// Waits until no stream is open, or `deadline`; true when none is.
  bool wait_none(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    return none_open_.wait_until(lock, deadline, [this] { return open_ == 0; });
  }
  std::size_t open() const {
    std::lock_guard lock(mutex_);
    return open_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable none_open_;
  std::size_t open_ = 0;
};

}  // namespace agdf::service
