#pragma once
// The run's own ready queue: calls the engine suspended (an emit, a wait for an item) are
// resumed from here, in a loop on the run's strand, instead of one Asio post each.
//
// The loop is also what makes a run share its thread: it hands the thread back to the pool
// after a time slice, even when every call it resumes never waits on anything outside the
// engine, so a spinning run still lets timers, cancellation and other runs in.

#include <chrono>
#include <cstdint>
#include <functional>

#include <boost/asio/any_io_executor.hpp>

#include "agdf/nodes/parked.hpp"
#include "ring.hpp"

namespace agdf::engine::detail {

class Scheduler {
 public:
  /// `post_drain` schedules drain() on the run's strand (keeping the run alive until it
  /// runs); the loop yields the thread after `slice`.
  Scheduler(std::function<void()> post_drain, std::chrono::microseconds slice)
      : post_drain_(std::move(post_drain)), slice_(slice) {}

  /// Resumes `call` soon: next (front) or after everything already waiting.
  void ready(Parked& call, bool front = false) {
    Parked* p = &call;
    if (front)
      ready_.push_front(std::move(p));
    else
      ready_.push_back(std::move(p));
    if (!draining_ && !drain_posted_) {
      drain_posted_ = true;
      post_drain_();
    }
  }

  /// Resumes ready calls until none is left or the time slice is used up. Runs on the strand.
  void drain();

  /// Resumptions so far (for tests and benchmarks).
  std::uint64_t resumed() const noexcept { return resumed_; }

 private:
  std::function<void()> post_drain_;
  const std::chrono::microseconds slice_;
  Ring<Parked*> ready_;
  bool draining_ = false;
  bool drain_posted_ = false;
  std::uint64_t resumed_ = 0;
};

}  // namespace agdf::engine::detail
