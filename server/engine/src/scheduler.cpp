#include "scheduler.hpp"

namespace agdf::engine::detail {
namespace {

/// Reading the clock costs more than a resumption; look at it every this many.
constexpr std::uint64_t kClockEvery = 64;

}  // namespace

void Scheduler::drain() {
  drain_posted_ = false;
  if (draining_) return;
  draining_ = true;
  const auto deadline = std::chrono::steady_clock::now() + slice_;
  std::uint64_t count = 0;
  while (!ready_.empty()) {
    Parked* call = ready_.pop_front();
    call->resume(std::exchange(call->error, nullptr));  // `call` may be gone after this
    if (++count % kClockEvery == 0 && std::chrono::steady_clock::now() >= deadline) break;
  }
  resumed_ += count;
  draining_ = false;
  if (!ready_.empty() && !drain_posted_) {
    drain_posted_ = true;
    post_drain_();
  }
}

}  // namespace agdf::engine::detail
