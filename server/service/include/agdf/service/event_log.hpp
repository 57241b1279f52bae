#pragma once
/// One run's ordered events, numbered from 1 without gaps, in bounded memory: the first
/// `head` events and a ring of the last `tail` are kept, the middle is forgotten. The
/// first event (RunStarted) and the last (RunFinished) are therefore always kept. A
/// RunFinished event closes the log. Not thread-safe: the run record guards it.

#include <cstdint>
#include <memory>
#include <vector>

#include "agdf/v1/agdf.pb.h"

namespace agdf::service {

using EventPtr = std::shared_ptr<const agdf::v1::RunEvent>;

struct EventLogLimits {
  std::size_t head = 100;   ///< first events kept for good (at least 1)
  std::size_t tail = 1000;  ///< most recent events kept (at least 1)
};

/// What a reader asking for one sequence number finds.
struct EventLookup {
  /// stored: not in memory, but in the run store (the asked seq .. missed_to).
  enum class Kind { event, missed, not_yet, end, stored };
  Kind kind = Kind::not_yet;
  EventPtr event;               ///< when kind == event
  std::uint64_t missed_to = 0;  ///< missed, stored: the range is the asked seq .. missed_to
};

class EventLog {
 public:
  explicit EventLog(EventLogLimits limits);

  /// Numbers `event` with the next seq, keeps it, and returns the seq.
  std::uint64_t append(agdf::v1::RunEvent&& event);

  /// The event numbered `seq` (>= 1), or the range of forgotten events starting there;
  /// beyond the last event: not_yet, or end once the log is closed.
  EventLookup at(std::uint64_t seq) const;

  /// The event appended last; the log must not be empty.
  const EventPtr& newest() const {
    return tail_.empty() ? head_.back() : tail_[(tail_start_ + tail_.size() - 1) % tail_.size()];
  }

  std::uint64_t last_seq() const noexcept { return last_seq_; }
  bool closed() const noexcept { return closed_; }
  std::size_t kept() const noexcept { return head_.size() + tail_.size(); }

 private:
  /// The i-th oldest event of the tail.
  const EventPtr& tail_at(std::size_t i) const { return tail_[(tail_start_ + i) % tail_.size()]; }

  EventLogLimits limits_;
  std::vector<EventPtr> head_;
  /// The tail as a ring grown on demand: an idle run pays for no empty blocks.
  std::vector<EventPtr> tail_;
  std::size_t tail_start_ = 0;  ///< index of the oldest tail event once the ring is full
  std::uint64_t last_seq_ = 0;
  bool closed_ = false;
};

}  // namespace agdf::service
