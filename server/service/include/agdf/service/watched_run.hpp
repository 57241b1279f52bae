#pragma once
/// What a WatchRun stream reads: a run the daemon holds in memory (RunRecord), or one only
/// the run store still has (StoredRunView).

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>

#include "agdf/service/event_log.hpp"

namespace agdf::service {

/// Someone waiting for a run's next event (a WatchRun stream).
class EventWaiter {
 public:
  virtual ~EventWaiter() = default;
  /// Called once, without the run's lock held, after the awaited event became readable.
  virtual void on_event_available() = 0;
};

class WatchedRun {
 public:
  virtual ~WatchedRun() = default;

  virtual const std::string& id() const noexcept = 0;
  /// Submission order; the run's key in the store.
  virtual std::uint64_t number() const noexcept = 0;

  /// The event numbered `seq`, a range that is only in the store, a forgotten range, or
  /// the end. When it is not there yet, `waiter` is registered and called once it is.
  virtual EventLookup next_event(std::uint64_t seq, const std::shared_ptr<EventWaiter>& waiter) = 0;
  virtual void remove_waiter(const EventWaiter* waiter) = 0;
};

/// A finished run known only to the store: every event is read from there.
class StoredRunView final : public WatchedRun {
 public:
  StoredRunView(std::string id, std::uint64_t number, std::uint64_t last_seq)
      : id_(std::move(id)), number_(number), last_seq_(last_seq) {}

  const std::string& id() const noexcept override { return id_; }
  std::uint64_t number() const noexcept override { return number_; }
  EventLookup next_event(std::uint64_t seq, const std::shared_ptr<EventWaiter>&) override {
    seq = std::max<std::uint64_t>(seq, 1);
    if (seq > last_seq_) return {EventLookup::Kind::end, nullptr, 0};
    return {EventLookup::Kind::stored, nullptr, last_seq_};
  }
  void remove_waiter(const EventWaiter*) override {}

 private:
  std::string id_;
  std::uint64_t number_;
  std::uint64_t last_seq_;
};

}  // namespace agdf::service
